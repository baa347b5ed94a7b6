package net.neighsyncd.itests;

/** Tear-down shared by the tests that run a daemon, a namespace and a redis-server. */
final class Fixtures {
    private Fixtures() {
    }

    /** Closes each one that is there, in order; the first failure is thrown once all were tried. */
    static void closeAll(AutoCloseable... things) throws Exception {
        Exception first = null;
        for (AutoCloseable t : things) {
            if (t == null) {
                continue;
            }
            try {
                t.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
