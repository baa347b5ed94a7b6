package net.neighsyncd.api.engine;

/** What this start wrote last to STATE_DB {@code WARM_RESTART_TABLE|neighsyncd}, as the engine reports it. */
public enum StartState {
    /** A cold start: SONiC's neighsyncd writes only {@code restore_count=0}, no state. */
    COLD("disabled"),
    INITIALIZED("initialized"),
    RESTORED("restored"),
    RECONCILED("reconciled");

    private final String label;

    StartState(String label) {
        this.label = label;
    }

    /** The metrics label ({@code disabled} for a cold start, else SONiC's state word). */
    public String label() {
        return label;
    }
}
