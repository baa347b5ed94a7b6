package net.neighsyncd.netlink.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which namespace a name under {@code /var/run/netns} names now: the inode of its nsfs mount,
 * the namespace's own number, so that a namespace deleted and made again under the same name is
 * told from the one the sockets were opened in.
 */
final class NamespaceIdentity {
    private NamespaceIdentity() {
    }

    /** Where {@code ip netns} keeps the name. */
    static Path path(String namespace) {
        return Path.of("/var/run/netns", namespace);
    }

    /** A name that could not be read (other than missing): taken as still naming the same namespace. */
    static final Object UNREADABLE = new Object();

    /**
     * The namespace's identity; null when the name names none (or for the daemon's own, the empty
     * name); {@link #UNREADABLE} when it cannot be read for another reason, which is no proof the
     * namespace is gone.
     */
    static Object of(String namespace) {
        if (namespace.isEmpty()) {
            return null;
        }
        try {
            return Files.getAttribute(path(namespace), "unix:ino");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return UNREADABLE;
        }
    }
}
