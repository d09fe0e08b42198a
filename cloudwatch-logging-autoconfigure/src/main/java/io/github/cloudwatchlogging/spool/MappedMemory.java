package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A mapped file's memory, little-endian, with the ordered and atomic accesses the spool needs, through the JDK's
 * own {@link VarHandle}s on byte buffers. Agrona's buffers were the first choice; its 2.x line needs
 * {@code --add-exports java.base/jdk.internal.misc} on every JVM that loads it, which an application that only
 * adds a starter cannot be asked for.
 */
final class MappedMemory {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final int ZEROS = 64 * 1024;

    /** {@code sun.misc.Unsafe.invokeCleaner} bound to the instance; null where it is missing. */
    private static final java.lang.invoke.@org.jspecify.annotations.Nullable MethodHandle CLEANER = cleaner();

    private final MappedByteBuffer mapped;

    private MappedMemory(MappedByteBuffer mapped) {
        this.mapped = mapped;
        mapped.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Creates a file of {@code size} bytes written with zeros, so that its blocks are allocated now (a full disk
     * fails here with an IOException, never later as a fault on a mapped page), and maps it.
     */
    static MappedMemory create(Path file, int size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(ZEROS);
            long position = 0;
            while (position < size) {
                zeros.clear().limit((int) Math.min(ZEROS, size - position));
                position += channel.write(zeros, position);
            }
            channel.force(true);
            return new MappedMemory(channel.map(FileChannel.MapMode.READ_WRITE, 0, size));
        }
    }

    /** Maps an existing file whole. */
    static MappedMemory open(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new MappedMemory(channel.map(FileChannel.MapMode.READ_WRITE, 0, size));
        }
    }

    int capacity() {
        return this.mapped.capacity();
    }

    /** A view of {@code [from, to)}, for a checksum. */
    ByteBuffer slice(int from, int to) {
        return this.mapped.duplicate().position(from).limit(to);
    }

    byte getByte(int index) {
        return this.mapped.get(index);
    }

    short getShort(int index) {
        return this.mapped.getShort(index);
    }

    int getInt(int index) {
        return this.mapped.getInt(index);
    }

    long getLong(int index) {
        return this.mapped.getLong(index);
    }

    void getBytes(int index, byte[] into) {
        this.mapped.get(index, into);
    }

    void putShort(int index, short value) {
        this.mapped.putShort(index, value);
    }

    void putInt(int index, int value) {
        this.mapped.putInt(index, value);
    }

    void putLong(int index, long value) {
        this.mapped.putLong(index, value);
    }

    void putBytes(int index, byte[] bytes, int from, int length) {
        this.mapped.put(index, bytes, from, length);
    }

    int getIntVolatile(int index) {
        return (int) INT.getVolatile(this.mapped, index);
    }

    long getLongVolatile(int index) {
        return (long) LONG.getVolatile(this.mapped, index);
    }

    void putIntRelease(int index, int value) {
        INT.setRelease(this.mapped, index, value);
    }

    void putLongRelease(int index, long value) {
        LONG.setRelease(this.mapped, index, value);
    }

    boolean compareAndSetInt(int index, int expected, int value) {
        return INT.compareAndSet(this.mapped, index, expected, value);
    }

    void force(int index, int length) {
        this.mapped.force(index, length);
    }

    void force() {
        this.mapped.force();
    }

    /**
     * Unmaps now rather than when the collector gets to it, so that a deleted segment gives its disk back at
     * once. Through {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, open to every application);
     * where that is missing, the collector does it later. Nothing may touch the memory afterwards.
     */
    void unmap() {
        if (CLEANER != null) {
            try {
                CLEANER.invokeExact((ByteBuffer) this.mapped);
            }
            catch (Throwable ex) {
                // Left to the garbage collector.
            }
        }
    }

    private static java.lang.invoke.@org.jspecify.annotations.Nullable MethodHandle cleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Method invokeCleaner = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
            return MethodHandles.lookup().unreflect(invokeCleaner).bindTo(field.get(null));
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

}
