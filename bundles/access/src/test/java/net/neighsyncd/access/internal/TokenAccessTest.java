package net.neighsyncd.access.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.security.SecureRandom;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;
import org.junit.jupiter.api.Test;

class TokenAccessTest {
    private static TokenAccess.Config config(String tokens) {
        return new TokenAccess.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TokenAccess.Config.class;
            }

            @Override
            public String tokens() {
                return tokens;
            }
        };
    }

    @Test
    void admitsAConfiguredTokenWithItsScope() {
        String token = ApiTokens.newToken(new SecureRandom());
        TokenAccess access = new TokenAccess();
        access.configure(config("ops:admin:" + ApiTokens.hashOf(token)));
        assertEquals(new Caller("ops", Scope.ADMIN), access.recognise(token).orElseThrow());
        assertTrue(access.anyToken());
        assertTrue(access.problems().isEmpty());
    }

    @Test
    void givenAGoodTokenListWhenAnEditCannotBeReadThenNoTokenIsAdmittedAndHealthSaysWhy() {
        // given
        String token = ApiTokens.newToken(new SecureRandom());
        TokenAccess access = new TokenAccess();
        access.configure(config("ops:admin:" + ApiTokens.hashOf(token)));
        // when: an edit with a typo
        access.configure(config("ops:admin:" + ApiTokens.hashOf(token) + ", typo"));
        // then: fail closed
        assertTrue(access.recognise(token).isEmpty());
        assertFalse(access.anyToken());
        assertTrue(access.problems().iterator().next().reason().contains("is not name:scope:sha256-hex"),
                access.problems().toString());
        // and: a readable one is in force again
        access.configure(config("ops:read:" + ApiTokens.hashOf(token)));
        assertEquals(Scope.READ, access.recognise(token).orElseThrow().scope());
        assertTrue(access.problems().isEmpty());
    }
}
