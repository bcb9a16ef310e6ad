package io.wixoauth.core.job;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The import file's reading: one bounded line at a time, every bad line named by number, none kept whole. */
class ImportFileTest {

    private static final String ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    @Test
    void readsValidLinesAndNamesEachBadOneByItsNumber() throws IOException {
        List<ImportFile.Read> reads = readAll("""
                {"instanceId":"%1$s","refreshToken":"OAUTH2.abc","installedAt":"2024-01-02T03:04:05Z","paidPlan":"pro","extra":1}

                {"instanceId":"%1$s","refreshToken":"has space"}
                {"instanceId":"%1$s","refreshToken":"t","installedAt":"yesterday"}
                {"instanceId":"%1$s","refreshToken":"t","originInstanceId":"../etc"}
                [1,2]
                {"instanceId":"%1$s","refreshToken":"t","originInstanceId":null}""".formatted(ID));

        assertThat(reads).extracting(ImportFile.Read::number).containsExactly(1L, 3L, 4L, 5L, 6L, 7L);
        ImportFile.Line first = reads.get(0).line();
        assertThat(first.instanceId().value()).isEqualTo(ID);
        assertThat(first.refreshToken().reveal()).isEqualTo("OAUTH2.abc");
        assertThat(first.installedAt()).hasToString("2024-01-02T03:04:05Z");
        assertThat(first.paidPlan()).isEqualTo("pro");
        assertThat(reads.subList(1, 5)).allSatisfy(read -> assertThat(read.line()).isNull());
        assertThat(reads.get(1).problem()).startsWith("refreshToken must be");
        assertThat(reads.get(2).problem()).startsWith("installedAt must be");
        assertThat(reads.get(3).problem()).startsWith("originInstanceId must be");
        assertThat(reads.get(4).problem()).isEqualTo("the line is not a JSON object");
        assertThat(reads.get(5).line().originInstanceId()).isNull();
    }

    @Test
    void aHugeLineIsSkippedWithoutBeingKeptAndTheNextLineStillReads() throws IOException {
        byte[] huge = ("{\"x\":\"" + "a".repeat(5_000_000) + "\"}\n{\"instanceId\":\"" + ID + "\",\"refreshToken\":\"t\"}")
                .getBytes(StandardCharsets.UTF_8);
        List<ImportFile.Read> reads = readAll(new ByteArrayInputStream(huge));

        assertThat(reads).hasSize(2);
        assertThat(reads.get(0).problem()).contains("longer than");
        assertThat(reads.get(1).line()).isNotNull();
    }

    @Test
    void bytesThatAreNotUtf8AreABadLineNotACrash() throws IOException {
        byte[] bytes = {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'};
        assertThat(readAll(new ByteArrayInputStream(bytes))).singleElement()
                .satisfies(read -> assertThat(read.problem()).isEqualTo("the line is not UTF-8"));
    }

    private static List<ImportFile.Read> readAll(String text) throws IOException {
        return readAll(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<ImportFile.Read> readAll(InputStream in) throws IOException {
        ImportFile file = new ImportFile(in);
        List<ImportFile.Read> reads = new ArrayList<>();
        Optional<ImportFile.Read> read;
        while ((read = file.next()).isPresent()) {
            reads.add(read.get());
        }
        return reads;
    }
}
