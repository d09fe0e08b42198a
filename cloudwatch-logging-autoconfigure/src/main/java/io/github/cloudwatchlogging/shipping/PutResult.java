package io.github.cloudwatchlogging.shipping;

import java.util.EnumMap;
import java.util.Map;

/**
 * What CloudWatch Logs refused of an accepted call ({@code rejectedLogEventsInfo}), in events.
 *
 * @param tooOld events older than 14 days
 * @param tooNew events more than 2 hours ahead
 * @param expired events older than the group's retention (and not already too old)
 */
public record PutResult(int tooOld, int tooNew, int expired) {

    public static final PutResult ALL_ACCEPTED = new PutResult(0, 0, 0);

    /**
     * Turns the service's indexes (exclusive ends for old and expired events, a start for new ones; null when
     * absent) into counts for a batch of {@code size} events, clamped so that no event is counted twice.
     */
    public static PutResult fromIndexes(int size, Integer tooOldEnd, Integer expiredEnd, Integer tooNewStart) {
        int tooOld = clamp(tooOldEnd, 0, size);
        int oldOrExpired = Math.max(tooOld, clamp(expiredEnd, 0, size));
        int newStart = Math.max(oldOrExpired, clamp(tooNewStart, size, size));
        return new PutResult(tooOld, size - newStart, oldOrExpired - tooOld);
    }

    public int rejected() {
        return this.tooOld + this.tooNew + this.expired;
    }

    Map<RejectReason, Integer> byReason() {
        Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
        if (this.tooOld > 0) {
            counts.put(RejectReason.TOO_OLD, this.tooOld);
        }
        if (this.tooNew > 0) {
            counts.put(RejectReason.TOO_NEW, this.tooNew);
        }
        if (this.expired > 0) {
            counts.put(RejectReason.EXPIRED, this.expired);
        }
        return counts;
    }

    private static int clamp(Integer value, int absent, int size) {
        if (value == null) {
            return absent;
        }
        return Math.max(0, Math.min(size, value));
    }

}
