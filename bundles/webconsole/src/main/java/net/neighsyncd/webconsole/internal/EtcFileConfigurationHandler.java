package net.neighsyncd.webconsole.internal;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Array;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.felix.webconsole.spi.ConfigurationHandler;
import org.apache.felix.webconsole.spi.ValidationException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Keeps Configuration Manager saves and the {@code etc/} files together. The files are the
 * configuration's source of truth (FileInstall applies them; its own write-back stays off), so a
 * save in the Web Console is written into the configuration's file, as an operator would edit it:
 * <ul>
 * <li>the file link ({@code felix.fileinstall.filename}) is hidden from the form and kept on
 * every save, so the configuration stays the file's;</li>
 * <li>only the lines of changed values are rewritten; comments, order and the {@code ${...}}
 * placeholders of unchanged values stay; new keys are appended, except those the form sent with
 * their metatype default; no key is removed, so a save can never empty a file;</li>
 * <li>a save of a (non-factory) configuration without a file creates {@code <etc>/<pid>.cfg};</li>
 * <li>deleting a configuration that comes from a file is refused: remove the file instead;</li>
 * <li>a Web Console password typed in clear is stored hashed, an empty one is refused.</li>
 * </ul>
 */
@Component(service = ConfigurationHandler.class)
public final class EtcFileConfigurationHandler implements ConfigurationHandler {
    static final String FILENAME = "felix.fileinstall.filename";
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** Framework property the launcher sets: the configuration folder FileInstall watches. */
    static final String CONFIG_DIR_PROPERTY = "neighsyncd.config.dir";

    /** PIDs that FileInstall can read back from {@code <pid>.cfg} (a dash would make it a factory PID). */
    private static final Pattern FILE_PID = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Set<String> NOT_IN_FILES = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, FILENAME);

    @Reference
    private ConfigurationAdmin configAdmin;

    /** The defaults the console's form sends for fields never set: not pinned in a file. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetaTypeService metaType;

    private BundleContext context;
    private Path configDir;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String dir = context.getProperty(CONFIG_DIR_PROPERTY);
        configDir = dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    @Override
    public void createConfiguration(String pid) {
        // written on the first save
    }

    @Override
    public void createFactoryConfiguration(String factoryPid, String name) {
        // factory configurations made in the console live in Config Admin only
    }

    @Override
    public void deleteConfiguration(String factoryPid, String pid) throws ValidationException, IOException {
        Path file = linkedFile(find(pid));
        if (file != null && Files.isRegularFile(file)) {
            throw new ValidationException("Configuration " + pid + " comes from " + file
                    + ": edit that file, or remove it to remove the configuration.");
        }
    }

    @Override
    public void filterProperties(String factoryPid, String pid, Collection<String> propertyNames) {
        // hidden from the form, and so kept as it is on every save
        propertyNames.remove(FILENAME);
    }

    @Override
    public void updateConfiguration(String factoryPid, String pid, Dictionary<String, Object> props)
            throws ValidationException, IOException {
        if (CONSOLE_PID.equals(pid)) {
            consolePassword(props);
        }
        Configuration config = find(pid);
        Dictionary<String, Object> current = config == null ? null : config.getProperties();
        Path file = linkedFile(config);
        if (file == null) {
            if (factoryPid != null || configDir == null || !FILE_PID.matcher(pid).matches()) {
                return; // Config Admin only: documented in docs/webconsole.md
            }
            file = configDir.resolve(pid + ".cfg");
            props.put(FILENAME, configKey(file));
        } else if (!Files.isRegularFile(file)) {
            return; // the file was removed: FileInstall deletes the configuration
        } else if (current != null) {
            // a save never removes a key, neither from the file nor from the configuration
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (props.get(k) == null && !NOT_IN_FILES.contains(k)) {
                    props.put(k, current.get(k));
                }
            }
        }
        Map<String, String> after = strings(props);
        Map<String, String> fileKeys = Files.exists(file)
                ? CfgFile.read(Files.readString(file, StandardCharsets.ISO_8859_1)) : Map.of();
        Map<String, String> defaults = defaults(pid);
        after.entrySet().removeIf(e -> !fileKeys.containsKey(e.getKey()) && e.getValue().equals(defaults.get(e.getKey())));
        writeFile(file, strings(current), after);
    }

    /** The metatype defaults of {@code pid}, as strings; empty when it has no metatype. */
    private Map<String, String> defaults(String pid) {
        MetaTypeService mts = metaType;
        Map<String, String> out = new LinkedHashMap<>();
        if (mts == null || context == null) {
            return out;
        }
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = mts.getMetaTypeInformation(b);
            if (info == null || !List.of(info.getPids()).contains(pid)) {
                continue;
            }
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
            for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
                if (ad.getDefaultValue() != null) {
                    out.put(ad.getID(), String.join(",", ad.getDefaultValue()));
                }
            }
            break;
        }
        return out;
    }

    /** A clear-text console password becomes a hash; an empty one would let admin/admin in. */
    private static void consolePassword(Dictionary<String, Object> props) throws ValidationException {
        Object value = props.get("password");
        if (value == null) {
            return;
        }
        String text = value.toString();
        if (text.isBlank()) {
            throw new ValidationException("An empty password would make the Web Console accept its default "
                    + "admin/admin: leave the field unchanged or type a password.");
        }
        if (!ConsolePasswords.isHashed(text)) {
            props.put("password", ConsolePasswords.hash(text));
        }
    }

    private static void writeFile(Path file, Map<String, String> before, Map<String, String> after) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1)
                : "# Written by the Web Console's Configuration Manager.\n";
        String updated = CfgFile.update(text, before, after);
        if (updated.equals(text) && Files.exists(file)) {
            return;
        }
        // write beside it and rename: FileInstall never reads a half-written file
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, updated, StandardCharsets.ISO_8859_1);
            if (Files.exists(file)) {
                PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
                if (view != null) {
                    Set<PosixFilePermission> perms = view.readAttributes().permissions();
                    Files.setPosixFilePermissions(tmp, perms);
                }
            } else if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Configuration find(String pid) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + filterValue(pid) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad PID " + pid, e);
        }
    }

    /** The file FileInstall read the configuration from, or null. */
    private static Path linkedFile(Configuration config) {
        if (config == null) {
            return null;
        }
        Dictionary<String, Object> props = config.getProperties();
        Object name = props == null ? null : props.get(FILENAME);
        if (name == null) {
            return null;
        }
        try {
            return Path.of(URI.create(name.toString()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** As FileInstall names a file in {@code felix.fileinstall.filename}. */
    static String configKey(Path file) {
        return new File(file.toString()).getAbsoluteFile().toURI().toString();
    }

    /** The properties as strings, as a {@code .cfg} file holds them; the bookkeeping keys left out. */
    static Map<String, String> strings(Dictionary<String, ?> props) {
        Map<String, String> m = new LinkedHashMap<>();
        if (props == null) {
            return m;
        }
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!NOT_IN_FILES.contains(k)) {
                m.put(k, string(props.get(k)));
            }
        }
        return m;
    }

    /** Lists (arrays, collections) as comma-separated text. */
    static String string(Object v) {
        List<String> items = new ArrayList<>();
        if (v != null && v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(String.valueOf(Array.get(v, i)));
            }
            return String.join(",", items);
        }
        if (v instanceof Collection<?> c) {
            c.forEach(o -> items.add(String.valueOf(o)));
            return String.join(",", items);
        }
        return String.valueOf(v);
    }

    private static String filterValue(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
