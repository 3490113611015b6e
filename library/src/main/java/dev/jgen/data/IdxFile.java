package dev.jgen.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reader for the IDX format of (Fashion-)MNIST, plain or gzipped, with errors that name the file. */
final class IdxFile {
    private static final int UNSIGNED_BYTE = 0x08;

    final int[] dims;
    final byte[] data;

    private IdxFile(int[] dims, byte[] data) {
        this.dims = dims;
        this.data = data;
    }

    static IdxFile read(Path path, int expectedRank) {
        if (!Files.isRegularFile(path)) {
            throw new DataException(path + " does not exist.");
        }
        try (DataInputStream in = new DataInputStream(open(path))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new DataException(path + " is empty or truncated: it ends before the IDX header.");
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
                throw new DataException(String.format(
                        "%s is not an IDX file of rank %d unsigned bytes (header 0x%08x, expected 0x%08x).",
                        path, expectedRank, magic, (UNSIGNED_BYTE << 8) | expectedRank));
            }
            int[] dims = new int[rank];
            long count = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) {
                    throw new DataException(path + " has an invalid dimension " + dims[i] + " in its IDX header.");
                }
                count *= dims[i];
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new DataException(path + " declares " + count + " values, more than this reader supports.");
            }
            byte[] data = new byte[(int) count];
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw new DataException(String.format(
                        "%s is truncated: its header promises %d values, the file holds %d.", path, count, read));
            }
            return new IdxFile(dims, data);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new DataException("loading " + path + " was interrupted; run the cell again to load it", e);
        } catch (NoSuchFileException e) {
            throw new DataException(path + " does not exist.", e);
        } catch (ZipException e) {
            throw new DataException(path + " is a corrupt gzip file (" + e.getMessage() + ").", e);
        } catch (EOFException e) {
            throw new DataException(path + " is truncated: it ends inside the IDX header.", e);
        } catch (IOException e) {
            throw new DataException(path + " could not be read: " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzipped = b0 == 0x1f && b1 == 0x8b;
        return gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }
}
