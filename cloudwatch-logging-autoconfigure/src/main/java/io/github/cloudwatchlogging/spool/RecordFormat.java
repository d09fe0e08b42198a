package io.github.cloudwatchlogging.spool;

import java.util.zip.CRC32C;


/**
 * The layout of a segment and of its records (docs/SPOOL.md, "A segment"), and the one way to check a record.
 */
final class RecordFormat {

    static final int SEGMENT_MAGIC = 0x43574C53; // "CWLS"

    static final int RECORD_MAGIC = 0x43574C52; // "CWLR"

    static final int VERSION = 1;

    // The segment header.
    static final int SEGMENT_MAGIC_OFFSET = 0;

    static final int VERSION_OFFSET = 4;

    static final int NUMBER_OFFSET = 8;

    static final int SETTLED_OFFSET = 16;

    static final int SIZE_OFFSET = 24;

    static final int HEADER_BYTES = 64;

    // A record, from its start.
    static final int LENGTH = 0;

    static final int CRC = 4;

    static final int PENDING = 8;

    static final int MARKS = 12;

    static final int MAGIC = 16;

    static final int MESSAGE_LENGTH = 20;

    static final int TIMESTAMP = 24;

    static final int TARGET_COUNT = 32;

    static final int TARGETS = 34;

    /** Where the checksum starts: the bytes before it change after the record is written. */
    static final int CHECKED_FROM = MAGIC;

    static final int ALIGNMENT = 8;

    static final int MARK_HANDED_OVER = 1;

    /** A record's bits name at most this many destinations. */
    static final int MAX_TARGETS = 32;

    private RecordFormat() {
    }

    static int length(int targets, int messageBytes) {
        return TARGETS + 2 * targets + messageBytes;
    }

    static int aligned(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** The pending bits of a record of {@code targets} destinations: one for each. */
    static int allPending(int targets) {
        return (targets == 32) ? -1 : (1 << targets) - 1;
    }

    /**
     * The length the header at {@code offset} gives, when its magic holds and its destination count and message
     * length agree with its length field (or that field is still zero: a write cut short); else 0. A record found
     * this way whose checksum fails is skipped whole.
     */
    static int declaredLength(MappedMemory buffer, int offset, int limit) {
        if (offset + RecordFormat.TARGETS > limit || buffer.getInt(offset + MAGIC) != RECORD_MAGIC) {
            return 0;
        }
        int targets = buffer.getShort(offset + TARGET_COUNT);
        int messageBytes = buffer.getInt(offset + MESSAGE_LENGTH);
        if (targets < 1 || targets > MAX_TARGETS || messageBytes < 0 || messageBytes > limit - offset) {
            return 0;
        }
        int computed = length(targets, messageBytes);
        int published = buffer.getInt(offset + LENGTH);
        if (computed > limit - offset || (published != 0 && published != computed)) {
            return 0;
        }
        return computed;
    }

    /**
     * The length of the valid record at {@code offset} (before padding), or -1 when there is none there: nothing
     * published, a length out of range, a wrong magic or a failed checksum.
     */
    static int validLength(MappedMemory buffer, int offset, int limit, CRC32C crc) {
        if (offset + TARGETS > limit) {
            return -1;
        }
        int length = buffer.getIntVolatile(offset + LENGTH);
        if (length < TARGETS || length > limit - offset || buffer.getInt(offset + MAGIC) != RECORD_MAGIC) {
            return -1;
        }
        int targets = buffer.getShort(offset + TARGET_COUNT);
        int messageBytes = buffer.getInt(offset + MESSAGE_LENGTH);
        if (targets < 1 || targets > MAX_TARGETS || messageBytes < 0 || length(targets, messageBytes) != length) {
            return -1;
        }
        crc.reset();
        crc.update(buffer.slice(offset + CHECKED_FROM, offset + length));
        return ((int) crc.getValue() == buffer.getInt(offset + CRC)) ? length : -1;
    }

}
