package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The numbers records use for their destinations, kept in the directory's {@code destinations} file: one line per
 * destination, {@code id TAB group TAB stream}, appended and forced to disk before any record uses the number, and
 * never rewritten. Group and stream are percent-escaped where they hold a tab, a line break or a percent sign.
 */
final class DestinationTable {

    /** Guarded by this object. */
    private boolean closed;

    private final Path file;

    private final Map<String, Integer> ids = new HashMap<>();

    private final List<DestinationName> names = new ArrayList<>();

    private DestinationTable(Path file) {
        this.file = file;
    }

    /**
     * Reads the file. A last line without its line break was torn by a kill while it was appended: it is cut off
     * (its number was never used by a record, which is written only after its line is on disk). Lines that do not
     * parse otherwise are ignored.
     */
    static DestinationTable read(Path directory) throws IOException {
        DestinationTable table = new DestinationTable(directory.resolve("destinations"));
        if (!Files.exists(table.file)) {
            return table;
        }
        byte[] bytes = Files.readAllBytes(table.file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            try (FileChannel channel = FileChannel.open(table.file, StandardOpenOption.WRITE)) {
                channel.truncate(end);
                channel.force(true);
            }
        }
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 3) {
                continue;
            }
            try {
                int id = Integer.parseInt(fields[0]);
                if (id >= 0 && id <= Short.MAX_VALUE) { // what a record can name; anything else is not ours
                    table.put(id, new DestinationName(unescape(fields[1]), unescape(fields[2])));
                }
            }
            catch (IllegalArgumentException ex) {
                // not a line of ours
            }
        }
        return table;
    }

    /** The destination a number stands for, or null when no line names it. */
    synchronized @Nullable DestinationName name(int id) {
        return (id >= 0 && id < this.names.size()) ? this.names.get(id) : null;
    }

    /**
     * The number of a destination, added (and forced to disk) the first time; -1 once closed, since the directory
     * may belong to another process by then.
     */
    synchronized int idOf(String logGroup, String logStream) throws IOException {
        if (this.closed) {
            return -1;
        }
        DestinationName name = new DestinationName(logGroup, logStream);
        Integer id = this.ids.get(name.key());
        if (id != null) {
            return id;
        }
        int next = this.names.size();
        if (next > Short.MAX_VALUE) {
            throw new IOException("The spool's destinations file names " + next + " destinations already");
        }
        String line = next + "\t" + escape(logGroup) + "\t" + escape(logStream) + "\n";
        try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = channel.size();
            try {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                long position = size;
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                channel.force(true);
            }
            catch (IOException | RuntimeException ex) {
                channel.truncate(size); // a line half-written (a full disk) must not swallow the next one
                throw ex;
            }
        }
        put(next, name);
        return next;
    }

    /** No number is added after this: the spool is letting the directory go. */
    synchronized void close() {
        this.closed = true;
    }

    private void put(int id, DestinationName name) {
        while (this.names.size() <= id) {
            this.names.add(null);
        }
        this.names.set(id, name);
        this.ids.putIfAbsent(name.key(), id);
    }

    private static String escape(String value) {
        return value.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String unescape(String value) {
        return value.replace("%0D", "\r").replace("%0A", "\n").replace("%09", "\t").replace("%25", "%");
    }

}
