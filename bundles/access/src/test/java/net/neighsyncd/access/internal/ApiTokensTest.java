package net.neighsyncd.access.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;
import org.junit.jupiter.api.Test;

class ApiTokensTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void recognisesATokenByItsConfiguredHash() {
        // given
        String token = ApiTokens.newToken(random);
        ApiTokens tokens = ApiTokens.parse("ops:admin:" + ApiTokens.hashOf(token));
        // when / then
        assertEquals(new Caller("ops", Scope.ADMIN), tokens.recognise(token).orElseThrow());
        assertFalse(tokens.recognise(token + "x").isPresent());
        assertFalse(tokens.recognise("").isPresent());
    }

    @Test
    void aReadTokenMayNotAct() {
        assertTrue(Scope.ADMIN.allows(Scope.ADMIN));
        assertTrue(Scope.ADMIN.allows(Scope.READ));
        assertTrue(Scope.READ.allows(Scope.READ));
        assertFalse(Scope.READ.allows(Scope.ADMIN));
    }

    @Test
    void refusesATokenPastedWhereItsHashBelongsWithoutEchoingIt() {
        // given
        String token = ApiTokens.newToken(random);
        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiTokens.parse("ops:read:" + token));
        // then
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
        assertFalse(e.getMessage().contains(token), e.getMessage());
    }

    @Test
    void namesEveryBadEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiTokens.parse("a:root:" + "0".repeat(64) + ", b c:read:" + "0".repeat(64)
                        + ", d:read:" + "0".repeat(64) + ", d:read:" + "1".repeat(64) + ", lonely"));
        assertTrue(e.getMessage().contains("unknown scope 'root'"), e.getMessage());
        assertTrue(e.getMessage().contains("token name 'b c'"), e.getMessage());
        assertTrue(e.getMessage().contains("'d' is given twice"), e.getMessage());
        assertTrue(e.getMessage().contains("'…' is not name:scope:sha256-hex"), e.getMessage());
    }

    @Test
    void anEmptyConfigurationHasNoToken() {
        assertTrue(ApiTokens.parse(" ").isEmpty());
        assertTrue(ApiTokens.parse(null).isEmpty());
    }
}
