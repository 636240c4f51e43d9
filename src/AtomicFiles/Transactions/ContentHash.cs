using System.Buffers;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Transactions;

/// <summary>
/// The hash a journal records of each staged file's content: XXH128, as 32 uppercase hex digits. It detects a temp
/// that a power cut tore or zero-filled, not an adversary: a journal is acted on only if this user wrote it (see
/// <see cref="Recovery.JournalReader"/>), and whoever may rewrite a staged temp may as well rewrite its published
/// target. So the fast non-cryptographic hash (several GB/s, computed as the content is written), not SHA-256; a
/// random 128-bit match is 2^-128.
/// </summary>
internal static class ContentHash
{
    internal const int HexLength = 32;

    private const int ReadBufferSize = 128 * 1024;

    /// <summary>The hex form of what <paramref name="hash"/> has seen so far.</summary>
    internal static string ToHex(XxHash128 hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        hash.GetCurrentHash(bytes);
        return Convert.ToHexString(bytes);
    }

    /// <summary>Hashes the whole file behind <paramref name="handle"/>, reading it from the start.</summary>
    /// <exception cref="IOException">Reading failed.</exception>
    internal static string Of(SafeFileHandle handle)
    {
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ToHex(hash);
    }
}
