package io.wixoauth.simulator.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's secrets on disk: readable by their owner only, including what an older run left world-readable. */
class PrivateFilesTest {

    @TempDir
    Path root;

    @Test
    void theDemoDataFolderAndEverythingInItAreTheOwnersAlone() throws IOException {
        Path data = root.resolve("data");
        Path oldDatabase = Files.createDirectories(data.resolve("db")).resolve("oauth.mv.db");
        Files.writeString(oldDatabase, "left by an older run");
        Files.setPosixFilePermissions(oldDatabase, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        Demo.DemoApp app = Demo.DemoApp.loadOrCreate(data.resolve("demo-app.properties"));

        assertThat(Files.readString(data.resolve("demo-app.properties"))).contains(app.appSecret());
        try (Stream<Path> paths = Files.walk(data)) {
            assertThat(paths.toList()).allSatisfy(path -> assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(path))).as(path.toString())
                    .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }
}
