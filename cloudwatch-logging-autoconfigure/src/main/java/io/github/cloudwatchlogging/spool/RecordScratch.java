package io.github.cloudwatchlogging.spool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One logging thread's buffer for the checked part of a record's header (magic to destinations) and its checksum
 * over that part and the message, so that a record is summed on the heap and written to mapped memory once.
 */
final class RecordScratch {

    private final ByteBuffer header = ByteBuffer
        .allocate(RecordFormat.TARGETS - RecordFormat.CHECKED_FROM + 2 * RecordFormat.MAX_TARGETS)
        .order(ByteOrder.LITTLE_ENDIAN);

    private final CRC32C crc = new CRC32C();

    /** Fills the header and sums it with the message; returns the header's length. */
    int header(long timestamp, int[] destinationIds, byte[] message) {
        int base = RecordFormat.CHECKED_FROM;
        ByteBuffer header = this.header;
        header.putInt(RecordFormat.MAGIC - base, RecordFormat.RECORD_MAGIC);
        header.putInt(RecordFormat.MESSAGE_LENGTH - base, message.length);
        header.putLong(RecordFormat.TIMESTAMP - base, timestamp);
        header.putShort(RecordFormat.TARGET_COUNT - base, (short) destinationIds.length);
        for (int i = 0; i < destinationIds.length; i++) {
            header.putShort(RecordFormat.TARGETS - base + 2 * i, (short) destinationIds[i]);
        }
        int length = RecordFormat.TARGETS - base + 2 * destinationIds.length;
        this.crc.reset();
        this.crc.update(header.array(), 0, length);
        this.crc.update(message, 0, message.length);
        return length;
    }

    byte[] bytes() {
        return this.header.array();
    }

    int checksum() {
        return (int) this.crc.getValue();
    }

}
