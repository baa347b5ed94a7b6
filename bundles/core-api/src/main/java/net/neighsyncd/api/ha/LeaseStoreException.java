package net.neighsyncd.api.ha;

/** The lease's store could not be reached or answered in a way that says nothing of the lease. */
public class LeaseStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public LeaseStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
