package net.neighsyncd.rest.internal;

/** Text from a request made safe for one log line: line breaks escaped, so that no request forges a line. */
final class LogText {
    private LogText() {
    }

    static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\u2028', '\u2029', '\u0085' -> out.append(String.format("\\u%04x", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
