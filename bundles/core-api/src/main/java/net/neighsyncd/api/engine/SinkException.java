package net.neighsyncd.api.engine;

/** A sink could not apply a batch; the core will retry it. */
public class SinkException extends Exception {
    private static final long serialVersionUID = 1L;

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }

    public SinkException(String message) {
        super(message);
    }
}
