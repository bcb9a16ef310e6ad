package io.wixoauth.persistence.crypto;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Keeps refresh tokens encrypted in the database: the column never holds a token in plain text. */
@Converter
public class SealedTokenConverter implements AttributeConverter<SealedToken, String> {

    @Override
    public String convertToDatabaseColumn(SealedToken sealed) {
        if (sealed == null) {
            return null;
        }
        if (sealed.problem() != null) {
            throw new IllegalStateException("an unreadable token cannot be written back");
        }
        return TokenEncryption.cipher().seal(sealed.owner(), sealed.token());
    }

    @Override
    public SealedToken convertToEntityAttribute(String stored) {
        return stored == null ? null : TokenEncryption.cipher().open(stored);
    }
}
