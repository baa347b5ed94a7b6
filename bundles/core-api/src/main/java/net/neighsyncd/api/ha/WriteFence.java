package net.neighsyncd.api.ha;

/**
 * What a leader's APPL_DB writes carry: each write script refuses to run unless
 * {@link HaKeys#fence} still holds {@code token} (a newer leader has a larger one), and appends
 * every change it makes to {@link HaKeys#stream}, trimmed to about {@code streamMaxLength}
 * entries.
 *
 * @param token           the fencing token of this tenure; positive
 * @param streamMaxLength the approximate length the replication stream is trimmed to; positive
 */
public record WriteFence(long token, long streamMaxLength) {
    public WriteFence {
        if (token <= 0 || streamMaxLength <= 0) {
            throw new IllegalArgumentException("token and streamMaxLength must be positive: " + token + ", "
                    + streamMaxLength);
        }
    }
}
