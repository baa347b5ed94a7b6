package net.neighsyncd.launcher;

import java.util.concurrent.atomic.AtomicReference;

/** {@code bin/neighsyncd}: starts the runtime and stops it cleanly on SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neighsyncd: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(LaunchOptions.USAGE);
            return;
        }
        if (options.hashPassword) {
            System.exit(hashPassword());
            return;
        }
        if (options.newApiToken != null) {
            System.exit(ApiTokenCommand.run(options.newApiToken, new java.security.SecureRandom(), System.out,
                    System.err));
            return;
        }
        // the stop on SIGTERM is in place before anything starts: a switch stopping the daemon while
        // it starts must not leave its embedded redis-server behind or skip the flush
        AtomicReference<NeighsyncdRuntime> created = new AtomicReference<>();
        if (!options.trainingRun) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(created.get()), "neighsyncd-shutdown"));
        }
        NeighsyncdRuntime runtime;
        try {
            runtime = NeighsyncdRuntime.start(NeighsyncdRuntime.homeOf(Main.class), options, System.out,
                    created::set);
        } catch (Exception e) {
            // the start cleaned up after itself; the hook must not stop it again or change the status
            created.set(null);
            System.err.println("neighsyncd: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.trainingRun) {
            System.exit(TrainingRun.awaitReadyThenStop(runtime, System.out));
            return;
        }
        runtime.awaitStop();
        // the framework stopped by itself: a bundle may have asked for a failure status (ProcessControl)
        System.exit(runtime.requestedExitStatus());
    }

    /** The shutdown hook: stops {@code runtime} (null: nothing was started yet) and ends the JVM. */
    private static void stopOnSignal(NeighsyncdRuntime runtime) {
        if (runtime == null) {
            return;
        }
        int status = runtime.requestedExitStatus();
        try {
            runtime.stop();
            System.out.println("neighsyncd: stopped");
        } catch (Exception e) {
            System.err.println("neighsyncd: unclean stop: " + e);
            status = 1;
        }
        System.out.flush();
        // a stop asked for with SIGTERM that completed cleanly is a success, not 128+15
        Runtime.getRuntime().halt(status);
    }

    /** {@code --hash-password}: one password from the terminal or standard input, its hash on standard output. */
    private static int hashPassword() throws java.io.IOException {
        String password;
        java.io.Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Web Console password: ");
            password = typed == null ? "" : new String(typed);
        } else {
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
            String line = in.readLine();
            password = line == null ? "" : line;
        }
        if (password.isBlank()) {
            System.err.println("neighsyncd: no password given");
            return 2;
        }
        System.out.println(WebConsoleAccess.hash(password));
        return 0;
    }

}
