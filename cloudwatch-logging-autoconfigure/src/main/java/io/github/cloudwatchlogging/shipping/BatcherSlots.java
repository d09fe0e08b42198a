package io.github.cloudwatchlogging.shipping;

import java.util.ArrayList;
import java.util.List;

/**
 * The worker's batchers, one per open destination, by the destination's slot ({@link Destination#index}). A closed
 * destination's slot goes to the next one opened; its batcher is empty by then (a destination closes only when
 * nothing of it is unsettled) and is replaced when the new destination's first event arrives. Confined to the
 * worker thread.
 */
final class BatcherSlots {

    private final ShipperSettings settings;

    private final long maxRequestBytes;

    private final List<Batcher> slots = new ArrayList<>();

    /**
     * Batchers replaced while they still held events, kept until cut. It never happens if the books are right (a
     * slot is reused only once nothing of its destination is unsettled); if they were not, dropping those events
     * silently would hold every later flush.
     */
    private final List<Batcher> orphans = new ArrayList<>(0);

    /** Reused by {@link #pending}. */
    private final List<Batcher> pending = new ArrayList<>();

    BatcherSlots(ShipperSettings settings, long maxRequestBytes) {
        this.settings = settings;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** The destination's batcher, made on its first event. */
    Batcher of(Destination destination) {
        int index = destination.index();
        while (this.slots.size() <= index) {
            this.slots.add(null);
        }
        Batcher batcher = this.slots.get(index);
        if (batcher == null || !batcher.isFor(destination)) {
            if (batcher != null && !batcher.isEmpty()) {
                this.orphans.add(batcher);
            }
            batcher = Batcher.forSettings(destination, this.settings, this.maxRequestBytes);
            this.slots.set(index, batcher);
        }
        return batcher;
    }

    /**
     * The batchers holding events, in a list reused by the next call: iterate it before calling again, and take
     * from the batchers, never add to them, while iterating.
     */
    List<Batcher> pending() {
        this.pending.clear();
        for (Batcher batcher : this.slots) {
            if (batcher != null && !batcher.isEmpty()) {
                this.pending.add(batcher);
            }
        }
        this.orphans.removeIf(Batcher::isEmpty);
        this.pending.addAll(this.orphans);
        return this.pending;
    }

    boolean allEmpty() {
        for (Batcher batcher : this.slots) {
            if (batcher != null && !batcher.isEmpty()) {
                return false;
            }
        }
        return this.orphans.stream().allMatch(Batcher::isEmpty);
    }

    /** Lets go of the batchers of closed destinations, so that their memory does not wait for the slot's reuse. */
    void forgetClosed() {
        for (int i = 0; i < this.slots.size(); i++) {
            Batcher batcher = this.slots.get(i);
            if (batcher != null && batcher.isEmpty() && batcher.isForClosedDestination()) {
                this.slots.set(i, null);
            }
        }
    }

}
