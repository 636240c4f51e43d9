using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The self-checking file content the torture writers commit: it carries its own length, version and SHA-256, so a
/// reader can tell a complete version from an empty, torn or mixed file without knowing what was written.
/// </summary>
/// <remarks>
/// Layout: magic "AFTORT01" (8 bytes), total length (int64), version (int64), writer slot (int32), filler bytes
/// derived from the version, then the SHA-256 of everything before it (32 bytes). Little-endian.
/// </remarks>
internal static class TortureContent
{
    internal const int MinimumSize = HeaderSize + HashSize;

    private const int HeaderSize = 8 + 8 + 8 + 4;
    private const int HashSize = 32;
    private static ReadOnlySpan<byte> Magic => "AFTORT01"u8;

    /// <summary>What a reader made of a file's bytes.</summary>
    /// <param name="Problem">Why the content is not a complete version; <see langword="null"/> if it is.</param>
    internal readonly record struct Decoded(long Version, string? Problem)
    {
        internal bool IsValid => Problem is null;
    }

    /// <summary>A complete version of <paramref name="size"/> bytes.</summary>
    internal static byte[] Create(long version, int slot, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        var bytes = new byte[size];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), size);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), slot);

        // Filler that differs from version to version, so a file mixing two versions fails its checksum.
#pragma warning disable CA5394 // Not security: reproducible filler.
        new Random(unchecked((int)version)).NextBytes(bytes.AsSpan(HeaderSize, size - MinimumSize));
#pragma warning restore CA5394
        SHA256.HashData(bytes.AsSpan(0, size - HashSize), bytes.AsSpan(size - HashSize));
        return bytes;
    }

    /// <summary>Checks <paramref name="bytes"/> and reads the version it carries.</summary>
    internal static Decoded Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return new(0, "empty file");
        }

        if (bytes.Length < MinimumSize)
        {
            return new(0, $"{bytes.Length} bytes, shorter than any complete version");
        }

        if (!bytes[..Magic.Length].SequenceEqual(Magic))
        {
            return new(0, "no header at the start (torn or foreign content)");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (length != bytes.Length)
        {
            return new(version, $"{bytes.Length} bytes where version {version} has {length} (torn)");
        }

        Span<byte> hash = stackalloc byte[HashSize];
        SHA256.HashData(bytes[..^HashSize], hash);
        return hash.SequenceEqual(bytes[^HashSize..])
            ? new(version, null)
            : new(version, $"SHA-256 mismatch in version {version} (mixed or corrupt content)");
    }
}
