using System.Security.Cryptography;
using System.Text;

namespace AtomicFiles.Transactions;

/// <summary>
/// The journal's bytes: a header line, one line per operation, and a seal line carrying the SHA-256 of everything
/// before it. Text, so a person can read an interrupted journal:
/// <code>
/// AtomicFiles transaction journal 1
/// replace data/.blob.bin.k3j9x0a1bc.tmp data/blob.bin
/// delete old.bin
/// commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
/// </code>
/// Paths are relative to the root, '/'-separated, each segment percent-encoded so no name can forge a line.
/// </summary>
/// <remarks>
/// Operation lines are written as files are staged, before each temp exists, so even an unsealed journal names every
/// temp recovery must remove. Only a journal whose seal matches its content has reached the commit point.
/// </remarks>
internal static class JournalFormat
{
    internal static ReadOnlySpan<byte> Header => "AtomicFiles transaction journal 1\n"u8;

    private const string ReplaceVerb = "replace ";
    private const string DeleteVerb = "delete ";
    private const string CommitVerb = "commit ";
    private const int HashHexLength = 64;

    internal static byte[] ReplaceLine(string temp, string target) => Encoding.UTF8.GetBytes($"{ReplaceVerb}{Encode(temp)} {Encode(target)}\n");

    internal static byte[] DeleteLine(string target) => Encoding.UTF8.GetBytes($"{DeleteVerb}{Encode(target)}\n");

    internal static byte[] CommitLine(ReadOnlySpan<byte> sha256) => Encoding.UTF8.GetBytes($"{CommitVerb}{Convert.ToHexString(sha256)}\n");

    /// <summary>
    /// Reads a journal. <see cref="ParsedJournal.IsCommitted"/> only if it is complete, well-formed and its seal
    /// matches; otherwise its operations are the ones that could be read, good only for finding temps to remove.
    /// </summary>
    internal static ParsedJournal Parse(ReadOnlySpan<byte> bytes)
    {
        var operations = new List<JournalOperation>();
        var wellFormed = bytes.StartsWith(Header);
        var sealedAt = -1;
        var offset = 0;
        while (offset < bytes.Length)
        {
            var lineLength = bytes[offset..].IndexOf((byte)'\n');
            if (lineLength < 0)
            {
                // A torn last line: the writer died mid-append.
                wellFormed = false;
                break;
            }

            var line = bytes.Slice(offset, lineLength);
            var lineStart = offset;
            offset += lineLength + 1;
            if (lineStart == 0)
            {
                continue;
            }

            if (sealedAt >= 0)
            {
                wellFormed = false; // anything after the seal
            }
            else if (line.StartsWith("commit "u8))
            {
                sealedAt = lineStart;
                wellFormed &= line.Length == CommitVerb.Length + HashHexLength && SealMatches(bytes[..lineStart], line[CommitVerb.Length..]);
            }
            else if (ParseOperation(line) is { } operation)
            {
                operations.Add(operation);
            }
            else
            {
                wellFormed = false;
            }
        }

        return new ParsedJournal(operations, IsCommitted: wellFormed && sealedAt >= 0);
    }

    private static bool SealMatches(ReadOnlySpan<byte> content, ReadOnlySpan<byte> hexSeal)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, actual);
        Span<byte> expected = stackalloc byte[HashHexLength];
        Encoding.ASCII.GetBytes(Convert.ToHexString(actual), expected);
        return CryptographicOperations.FixedTimeEquals(expected, hexSeal);
    }

    private static JournalOperation? ParseOperation(ReadOnlySpan<byte> line)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        if (text.StartsWith(ReplaceVerb, StringComparison.Ordinal))
        {
            var fields = text[ReplaceVerb.Length..].Split(' ');
            return fields.Length == 2 && Decode(fields[0]) is { } temp && Decode(fields[1]) is { } target ? new JournalOperation(target, temp) : null;
        }

        if (text.StartsWith(DeleteVerb, StringComparison.Ordinal))
        {
            var field = text[DeleteVerb.Length..];
            return !field.Contains(' ', StringComparison.Ordinal) && Decode(field) is { } target ? new JournalOperation(target, null) : null;
        }

        return null;
    }

    private static string Encode(string relativePath) =>
        string.Join('/', relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(Uri.EscapeDataString));

    private static string? Decode(string field)
    {
        if (field.Length == 0)
        {
            return null;
        }

        var segments = field.Split('/');
        var decoded = new string[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            decoded[i] = Uri.UnescapeDataString(segments[i]);
            if (decoded[i].Length == 0 || decoded[i].AsSpan().IndexOfAny('/', Path.DirectorySeparatorChar) >= 0 || decoded[i] is "." or "..")
            {
                return null;
            }
        }

        return Path.Join(decoded);
    }
}
