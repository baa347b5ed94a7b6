package net.neighsyncd.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * The runtime of an installation as {@code lib/neighsyncd.bndrun} describes it (the file the build
 * resolves with bnd, {@code distribution/neighsyncd.bndrun}): the framework properties of
 * {@code -runproperties}, and the bundles of {@code -runbundles}, each found among the jars of
 * {@code bundle/} by symbolic name and version, at the start level its clause or the first matching
 * {@code -runbundles+} decoration gives.
 *
 * <p>Only what bnd writes into such a file is read: properties syntax, the clauses of the three
 * instructions, quoted values. Macros ({@code ${...}}) are not expanded and are refused.
 */
public final class RuntimeDescription {
    /** Where an installation keeps the description, relative to its home. */
    public static final String FILE = "lib/neighsyncd.bndrun";

    /** One bundle to install: its jar, identity, start level, and whether it is a fragment (never started). */
    public record RunBundle(Path jar, String symbolicName, Version version, int startLevel, boolean fragment) {
    }

    private final Map<String, String> frameworkProperties;
    private final List<RunBundle> bundles;

    private RuntimeDescription(Map<String, String> frameworkProperties, List<RunBundle> bundles) {
        this.frameworkProperties = Collections.unmodifiableMap(frameworkProperties);
        this.bundles = List.copyOf(bundles);
    }

    /** The description of the installation at {@code home}, its bundles matched to the jars of {@code home/bundle/}. */
    public static RuntimeDescription read(Path home) throws IOException {
        return read(home.resolve(FILE), home.resolve("bundle"));
    }

    static RuntimeDescription read(Path file, Path bundleDir) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("runtime description " + file + " does not exist");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String where = file.toString();

        Map<String, String> props = new LinkedHashMap<>();
        for (String clause : split(instruction(p, "-runproperties", where), ',')) {
            int eq = clause.indexOf('=');
            if (eq <= 0) {
                throw new IOException(where + ": -runproperties: no key=value in '" + clause + "'");
            }
            props.put(clause.substring(0, eq).strip(), unquote(clause.substring(eq + 1).strip()));
        }

        List<Clause> decorations = clauses(instruction(p, "-runbundles+", where));
        List<Clause> runbundles = clauses(instruction(p, "-runbundles", where));
        if (runbundles.isEmpty()) {
            throw new IOException(where + ": no -runbundles");
        }
        List<Jar> jars = jars(bundleDir);
        List<RunBundle> bundles = new ArrayList<>();
        for (Clause c : runbundles) {
            String range = c.attrs.get("version");
            VersionRange versions = range == null ? null : new VersionRange(range);
            List<Jar> matching = jars.stream().filter(j -> j.bsn.equals(c.name)
                    && (versions == null || versions.includes(j.version))).toList();
            if (matching.isEmpty()) {
                throw new IOException(where + ": -runbundles names " + c.name + (range == null ? "" : " " + range)
                        + ", which no jar of " + bundleDir + " is");
            }
            if (matching.size() > 1) {
                throw new IOException(where + ": -runbundles names " + c.name + ", which several jars of " + bundleDir
                        + " are: " + matching.stream().map(j -> j.path.getFileName().toString()).toList());
            }
            Jar jar = matching.get(0);
            jars.remove(jar);
            bundles.add(new RunBundle(jar.path, jar.bsn, jar.version, startLevel(c, decorations, where), jar.fragment));
        }
        if (!jars.isEmpty()) {
            throw new IOException(bundleDir + " holds " + jars.stream().map(j -> j.path.getFileName().toString()).toList()
                    + ", which " + where + " does not name in -runbundles (extension bundles belong in deploy/)");
        }
        bundles.sort(Comparator.comparingInt(RunBundle::startLevel).thenComparing(RunBundle::symbolicName));
        return new RuntimeDescription(props, bundles);
    }

    /** The framework properties of every start ({@code -runproperties}), in the file's order. */
    public Map<String, String> frameworkProperties() {
        return frameworkProperties;
    }

    /** The bundles to install, by start level, then symbolic name. */
    public List<RunBundle> bundles() {
        return bundles;
    }

    /** The highest start level of a bundle: the level the framework rises to. */
    public int topStartLevel() {
        return bundles.stream().mapToInt(RunBundle::startLevel).max().orElse(1);
    }

    private static int startLevel(Clause c, List<Clause> decorations, String where) throws IOException {
        String level = c.attrs.get("startlevel");
        if (level == null) {
            for (Clause d : decorations) {
                if (glob(d.name).matcher(c.name).matches()) {
                    level = d.attrs.get("startlevel");
                    break;
                }
            }
        }
        if (level == null) {
            throw new IOException(where + ": no start level for " + c.name
                    + " (a startlevel attribute, or a matching -runbundles+ clause)");
        }
        try {
            int n = Integer.parseInt(level.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException(where + ": start level of " + c.name + " is not a positive number: " + level);
        }
    }

    /** bnd's name patterns as far as the description uses them: {@code *} for any text; {@code a.b.*} also matches {@code a.b}. */
    static Pattern glob(String pattern) {
        boolean subtree = pattern.endsWith(".*");
        String body = subtree ? pattern.substring(0, pattern.length() - 2) : pattern;
        StringBuilder re = new StringBuilder();
        String[] parts = body.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        if (subtree) {
            re.append("(\\..*)?");
        }
        return Pattern.compile(re.toString());
    }

    private static String instruction(Properties p, String key, String where) throws IOException {
        String v = p.getProperty(key, "").strip();
        if (v.contains("${")) {
            throw new IOException(where + ": " + key + " uses a macro, which the launcher does not expand");
        }
        return v;
    }

    private record Clause(String name, Map<String, String> attrs) {
    }

    private static List<Clause> clauses(String header) throws IOException {
        List<Clause> out = new ArrayList<>();
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            Map<String, String> attrs = new LinkedHashMap<>();
            for (String a : parts.subList(1, parts.size())) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IOException("no attribute=value in '" + a + "' of '" + clause + "'");
                }
                String k = a.substring(0, eq).strip();
                if (k.endsWith(":")) {
                    k = k.substring(0, k.length() - 1); // a directive: name:=value
                }
                attrs.put(k, unquote(a.substring(eq + 1).strip()));
            }
            out.add(new Clause(parts.get(0).strip(), attrs));
        }
        return out;
    }

    /** The parts of {@code s} between separators outside quotes, blank ones left out. */
    private static List<String> split(String s, char separator) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == separator) {
                add(out, cur);
                continue;
            }
            cur.append(ch);
        }
        if (quote != 0) {
            throw new IOException("unclosed quote in '" + s + "'");
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        cur.setLength(0);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private record Jar(Path path, String bsn, Version version, boolean fragment) {
    }

    private static List<Jar> jars(Path bundleDir) throws IOException {
        if (!Files.isDirectory(bundleDir)) {
            throw new IOException("bundle folder " + bundleDir + " does not exist");
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(bundleDir)) {
            paths = s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        List<Jar> jars = new ArrayList<>();
        for (Path f : paths) {
            Manifest m;
            try (JarFile jf = new JarFile(f.toFile())) {
                m = jf.getManifest();
            }
            Attributes a = m == null ? new Attributes() : m.getMainAttributes();
            String bsn = a.getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null) {
                throw new IOException(f + " is not a bundle (no " + Constants.BUNDLE_SYMBOLICNAME + ")");
            }
            String v = a.getValue(Constants.BUNDLE_VERSION);
            jars.add(new Jar(f, bsn.split(";", 2)[0].strip(), v == null ? Version.emptyVersion : Version.parseVersion(v.strip()),
                    a.getValue(Constants.FRAGMENT_HOST) != null));
        }
        return jars;
    }
}
