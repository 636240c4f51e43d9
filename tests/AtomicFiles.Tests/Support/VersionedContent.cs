using System.Buffers.Binary;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// Self-checking content for tests that read a file while others commit: a version number, then a filler that depends
/// on it. A torn, empty or mixed file fails <see cref="Check"/>.
/// </summary>
internal static class VersionedContent
{
    private const int Size = 16 * 1024;

    internal static byte[] Create(int version)
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, version);
        bytes.AsSpan(sizeof(int)).Fill(Filler(version));
        return bytes;
    }

    /// <exception cref="InvalidDataException">The bytes are not one complete version.</exception>
    internal static void Check(byte[] bytes)
    {
        if (bytes.Length != Size)
        {
            throw new InvalidDataException($"{bytes.Length} bytes instead of {Size}: torn or empty");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (bytes.AsSpan(sizeof(int)).ContainsAnyExcept(Filler(version)))
        {
            throw new InvalidDataException($"version {version} mixed with other content");
        }
    }

    private static byte Filler(int version) => (byte)(version * 31);
}
