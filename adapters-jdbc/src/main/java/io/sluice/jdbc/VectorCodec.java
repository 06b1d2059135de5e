package io.sluice.jdbc;

import java.nio.ByteBuffer;

/**
 * Vectors as bytes: sparse (index and value of each non-zero dimension) when that is smaller, as lexical vectors
 * almost always are, else dense. The first byte says which.
 */
final class VectorCodec {
    private static final byte DENSE = 0;
    private static final byte SPARSE = 1;

    private VectorCodec() {}

    static byte[] encode(float[] v) {
        int nonZero = 0;
        for (float x : v) if (x != 0) nonZero++;
        if (nonZero * 8 < v.length * 4) {
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + nonZero * 8).put(SPARSE).putInt(v.length).putInt(nonZero);
            for (int i = 0; i < v.length; i++) if (v[i] != 0) b.putInt(i).putFloat(v[i]);
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + v.length * 4).put(DENSE).putInt(v.length);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static float[] decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte format = b.get();
        float[] v = new float[b.getInt()];
        if (format == SPARSE) {
            int n = b.getInt();
            for (int k = 0; k < n; k++) v[b.getInt()] = b.getFloat();
        } else {
            for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
        }
        return v;
    }
}
