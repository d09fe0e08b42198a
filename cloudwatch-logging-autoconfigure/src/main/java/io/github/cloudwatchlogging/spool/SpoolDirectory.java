package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The spool's directory: locked for this process, its destinations file, and the segments an earlier process left,
 * scanned once at opening for what they still owe.
 */
final class SpoolDirectory {

    private final Path directory;

    private final FileChannel lockChannel;

    private final FileLock lock;

    private final DestinationTable table;

    private final List<Segment> earlier = new ArrayList<>();

    private final List<Segment> settled = new ArrayList<>();

    private final Set<Integer> destinationsToRecover = new LinkedHashSet<>();

    private long recordsToRecover;

    private long corruptRecords;

    private long nextNumber;

    private SpoolDirectory(Path directory, FileChannel lockChannel, FileLock lock, DestinationTable table) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.table = table;
    }

    /**
     * Creates the directory if missing, locks it, reads its destinations and scans what an earlier process left.
     * @throws IOException when it cannot be used at all: the message says why
     */
    static SpoolDirectory open(Path directory, Consumer<String> warnings) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new java.nio.file.FileAlreadyExistsException(directory.toString());
        }
        Files.createDirectories(directory);
        Path lockFile = directory.resolve("spool.lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        }
        catch (OverlappingFileLockException ex) {
            channel.close();
            throw new IOException("another shipper in this JVM uses it");
        }
        catch (IOException ex) {
            channel.close();
            throw ex;
        }
        if (acquired == null) {
            String holder = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IOException("another process uses it (" + (holder.isEmpty() ? "unknown" : holder) + ")");
        }
        try {
            ProcessHandle self = ProcessHandle.current();
            String holder = "pid " + self.pid() + ", started "
                    + self.info().startInstant().map(Object::toString).orElse("at an unknown time");
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            SpoolDirectory opened = new SpoolDirectory(directory, channel, acquired, DestinationTable.read(directory));
            opened.findEarlierSegments(warnings);
            return opened;
        }
        catch (IOException | RuntimeException ex) {
            channel.close(); // releases the lock
            throw ex;
        }
    }

    DestinationTable table() {
        return this.table;
    }

    /** The segments of an earlier process with records to ship, oldest first. */
    List<Segment> earlierSegments() {
        return this.earlier;
    }

    /** The segments of an earlier process whose every record is settled already: to delete. */
    List<Segment> settledSegments() {
        return this.settled;
    }

    Set<Integer> destinationsToRecover() {
        return this.destinationsToRecover;
    }

    long recordsToRecover() {
        return this.recordsToRecover;
    }

    long corruptRecords() {
        return this.corruptRecords;
    }

    /** The number the next new segment takes: above every one on disk. */
    long nextNumber() {
        return this.nextNumber;
    }

    /** Releases the lock (the OS releases it too when the process dies, however it dies). */
    void release() {
        try {
            this.lock.release();
            this.lockChannel.close();
        }
        catch (IOException ex) {
            // The lock goes with the process anyway.
        }
    }

    private void findEarlierSegments(Consumer<String> warnings) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(this.directory)) {
            files = listing.filter((file) -> file.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
        long highest = -1;
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".tmp")) {
                Files.deleteIfExists(file); // a spare whose creation a kill cut short: it never held a record
                continue;
            }
            if (!name.matches("segment-\\d{16}")) {
                continue;
            }
            long number = Long.parseLong(name.substring("segment-".length()));
            highest = Math.max(highest, number);
            Segment segment = null;
            try {
                segment = Segment.openRecovered(file, number);
                if (segment == null && Segment.hasNoHeader(file)) {
                    Files.deleteIfExists(file); // named before its header reached the disk (a power loss): empty
                    continue;
                }
                if (segment == null) {
                    warnings.accept("The spool at " + this.directory + " ignores " + name + ": it is not a segment");
                    continue;
                }
                scan(segment);
            }
            catch (IOException | RuntimeException | InternalError ex) {
                // InternalError: a read error on a mapped page. The file stays; the others are recovered.
                if (segment != null) {
                    segment.buffer().unmap();
                }
                warnings.accept("The spool at " + this.directory + " cannot read " + name + " (" + ex
                        + "); it is left there and the rest is recovered");
            }
        }
        this.nextNumber = highest + 1;
    }

    private void scan(Segment segment) {
        int unsettled = 0;
        SegmentScanner scanner = new SegmentScanner(segment);
        while (scanner.next()) {
            int pending = scanner.pending();
            for (int i = 0; i < scanner.targets(); i++) {
                if ((pending & (1 << i)) != 0) {
                    this.destinationsToRecover.add(scanner.destinationId(i));
                }
            }
            unsettled += (pending != 0) ? 1 : 0;
        }
        this.corruptRecords += scanner.corrupt();
        this.recordsToRecover += unsettled;
        (unsettled > 0 ? this.earlier : this.settled).add(segment);
    }

}
