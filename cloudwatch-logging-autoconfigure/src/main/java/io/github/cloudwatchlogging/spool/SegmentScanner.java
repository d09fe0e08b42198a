package io.github.cloudwatchlogging.spool;

import java.util.zip.CRC32C;

/**
 * Walks the valid records of a segment an earlier process left, from the header's settled offset on. Damage is
 * skipped and counted, one for each damaged stretch that holds anything but zeros. A record whose header holds (its
 * magic, and a destination count and message length that agree with its length, or with nothing written yet) but
 * whose checksum fails, or whose length was never published (a write cut by a kill), is skipped whole by the size
 * its header gives, so a message's own bytes are never read as records. Only where even the header is damaged does
 * the scanner move on 8 bytes at a time to the next offset where a record's magic and checksum hold. A stretch of
 * zeros at the end is where the earlier process stopped writing.
 */
final class SegmentScanner {

    private final MappedMemory buffer;

    private final int limit;

    private final CRC32C crc = new CRC32C();

    private int offset;

    private int length = -1;

    private long corrupt;

    SegmentScanner(Segment segment) {
        this.buffer = segment.buffer();
        this.limit = this.buffer.capacity();
        long settled = this.buffer.getLongVolatile(RecordFormat.SETTLED_OFFSET);
        boolean plausible = settled >= RecordFormat.HEADER_BYTES && settled <= this.limit
                && settled % RecordFormat.ALIGNMENT == 0;
        this.offset = plausible ? (int) settled : RecordFormat.HEADER_BYTES;
    }

    /** Moves to the next valid record; false at the end. */
    boolean next() {
        if (this.length >= 0) {
            this.offset += RecordFormat.aligned(this.length);
        }
        boolean damaged = false;
        while (this.offset + RecordFormat.TARGETS <= this.limit) {
            int valid = RecordFormat.validLength(this.buffer, this.offset, this.limit, this.crc);
            if (valid >= 0) {
                if (damaged) {
                    this.corrupt++;
                }
                this.length = valid;
                return true;
            }
            int declared = RecordFormat.declaredLength(this.buffer, this.offset, this.limit);
            if (declared > 0) {
                this.corrupt++; // a whole record that fails its checksum, or one cut by a kill: skipped whole
                this.offset += RecordFormat.aligned(declared);
                continue;
            }
            damaged |= this.buffer.getLong(this.offset) != 0;
            this.offset += RecordFormat.ALIGNMENT;
        }
        for (int i = this.offset; i < this.limit; i++) {
            damaged |= this.buffer.getByte(i) != 0; // a record cut short by the file's end
        }
        this.offset = this.limit;
        if (damaged) {
            this.corrupt++;
        }
        this.length = -1;
        return false;
    }

    int offset() {
        return this.offset;
    }

    /** Its pending destinations, only those it has: a flipped bit outside the checksum names none that it lacks. */
    int pending() {
        return this.buffer.getIntVolatile(this.offset + RecordFormat.PENDING) & RecordFormat.allPending(targets());
    }

    boolean handedOver() {
        return (this.buffer.getInt(this.offset + RecordFormat.MARKS) & RecordFormat.MARK_HANDED_OVER) != 0;
    }

    long timestamp() {
        return this.buffer.getLong(this.offset + RecordFormat.TIMESTAMP);
    }

    int targets() {
        return this.buffer.getShort(this.offset + RecordFormat.TARGET_COUNT);
    }

    int destinationId(int index) {
        return this.buffer.getShort(this.offset + RecordFormat.TARGETS + 2 * index);
    }

    byte[] message() {
        byte[] message = new byte[this.buffer.getInt(this.offset + RecordFormat.MESSAGE_LENGTH)];
        this.buffer.getBytes(this.offset + RecordFormat.length(targets(), 0), message);
        return message;
    }

    /** Damaged stretches skipped so far. */
    long corrupt() {
        return this.corrupt;
    }

}
