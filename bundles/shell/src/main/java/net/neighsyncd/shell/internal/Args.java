package net.neighsyncd.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's arguments: {@code -n NAMESPACE} anywhere, then at most {@code max} positional ones;
 * more are an error.
 *
 * @param namespace  the namespace named, or null
 * @param positional the other arguments, in order
 */
record Args(String namespace, List<String> positional) {

    /** @throws IllegalArgumentException naming what is wrong */
    static Args of(String[] args, int max) {
        String namespace = null;
        List<String> positional = new ArrayList<>();
        for (int i = 0; args != null && i < args.length; i++) {
            if (args[i].equals("-n")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("-n needs a namespace");
                }
                namespace = args[++i];
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() > max) {
            throw new IllegalArgumentException("too many arguments: " + positional);
        }
        return new Args(namespace, List.copyOf(positional));
    }
}
