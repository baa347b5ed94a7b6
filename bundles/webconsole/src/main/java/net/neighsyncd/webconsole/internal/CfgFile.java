package net.neighsyncd.webconsole.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Edits the text of a FileInstall {@code .cfg} file (the {@code java.util.Properties} format) the
 * way an operator would: only the lines of keys whose value changed are rewritten, comments,
 * order and the {@code ${...}} placeholders of unchanged keys stay as they are, new keys are
 * appended, and no key is ever removed.
 */
final class CfgFile {
    private CfgFile() {
    }

    /**
     * The new text of a file whose configuration held {@code before} (values as Config Admin has
     * them, placeholders substituted) and is saved as {@code after}; both as strings. A key of the
     * file is rewritten when its value in {@code after} differs from {@code before}; a key of
     * {@code after} the file lacks is appended; a key missing from {@code after} keeps its line.
     */
    static String update(String text, Map<String, String> before, Map<String, String> after) {
        List<String> out = new ArrayList<>();
        Set<String> inFile = new LinkedHashSet<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                out.add(line);
                continue;
            }
            // one logical line: physical lines joined while a line ends with an odd number of backslashes
            List<String> logical = new ArrayList<>();
            logical.add(line);
            while (continues(lines.get(i)) && i + 1 < lines.size()) {
                i++;
                logical.add(lines.get(i));
            }
            String key = keyOf(trimmed);
            inFile.add(key);
            if (after.containsKey(key) && !Objects.equals(after.get(key), before.get(key))) {
                out.add(line(key, after.get(key)));
            } else {
                out.addAll(logical);
            }
        }
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (!inFile.contains(e.getKey())) {
                out.add(line(e.getKey(), e.getValue()));
            }
        }
        StringBuilder b = new StringBuilder(text.length() + 64);
        for (String l : out) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    /** The keys and values of a file's text, unescaped, without substituting placeholders. */
    static Map<String, String> read(String text) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }

    static String line(String key, String value) {
        return escape(key, true) + " = " + escape(value, false);
    }

    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** The unescaped key of a (left-trimmed) property line. */
    static String keyOf(String trimmed) {
        StringBuilder k = new StringBuilder();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '\\' && i + 1 < trimmed.length()) {
                char n = trimmed.charAt(++i);
                switch (n) {
                    case 't' -> k.append('\t');
                    case 'n' -> k.append('\n');
                    case 'r' -> k.append('\r');
                    case 'f' -> k.append('\f');
                    case 'u' -> {
                        if (i + 4 < trimmed.length()) {
                            k.append((char) Integer.parseInt(trimmed.substring(i + 1, i + 5), 16));
                            i += 4;
                        }
                    }
                    default -> k.append(n);
                }
                continue;
            }
            if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            }
            k.append(c);
        }
        return k.toString();
    }

    /** Properties-format escaping; everything outside printable ASCII as backslash-u. */
    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                case '=', ':', '#', '!' -> b.append(key ? "\\" + c : String.valueOf(c));
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
