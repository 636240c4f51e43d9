using System.Security.Cryptography;
using System.Text;

namespace AtomicFiles.Transactions;

/// <summary>
/// The journal's bytes: a header line, one line per operation, and a seal line carrying the SHA-256 of everything
/// before it. Text, so a person can read an interrupted journal. Version 2:
/// <code>
/// AtomicFiles transaction journal 2
/// stage data/.blob.bin.k3j9x0a1bc.tmp data/blob.bin
/// delete old.bin
/// replace data/.blob.bin.k3j9x0a1bc.tmp data/blob.bin 5D3C8E0A1F2B4C6D7E8F90A1B2C3D4E5
/// commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
/// </code>
/// Paths are relative to the root, '/'-separated, each segment percent-encoded so no name can forge a line.
/// </summary>
/// <remarks>
/// <para>A <c>stage</c> line is written as a file is staged, before its temp exists, so even an unsealed journal
/// names every temp recovery must remove. The <c>replace</c> lines are written at the commit point, when the staged
/// content is complete, and carry its XXH128 (<see cref="ContentHash"/>): recovery publishes a temp only if its
/// content still matches, so a temp a power cut tore (with <see cref="Durability.None"/>, or a drive that lost data)
/// is never published. Only a journal whose seal matches its content has reached the commit point.</para>
/// <para>Version 1 journals, written before content hashes, have <c>replace temp target</c> lines written at staging
/// and no <c>stage</c> lines; they are still read, and redone without a content check.</para>
/// <para>The parser is the first thing a journal's bytes meet, so it never throws, whatever they are. A path segment
/// that decodes to nothing, to <c>.</c> or <c>..</c>, or to anything holding a separator, a NUL or another control
/// character (or, on Windows, a character no file name may hold) makes its line malformed: the journal is then not
/// committed, and recovery rolls it back. The writer refuses to record such a name (<see cref="ThrowIfUnrecordable"/>),
/// so a journal this library wrote never has one.</para>
/// </remarks>
internal static class JournalFormat
{
    /// <summary>The header of the version this library writes.</summary>
    internal static ReadOnlySpan<byte> Header => "AtomicFiles transaction journal 2\n"u8;

    /// <summary>The header of version 1: replace lines without content hashes, and no stage lines.</summary>
    internal static ReadOnlySpan<byte> HeaderV1 => "AtomicFiles transaction journal 1\n"u8;

    private const string StageVerb = "stage ";
    private const string ReplaceVerb = "replace ";
    private const string DeleteVerb = "delete ";
    private const string CommitVerb = "commit ";
    private const int HashHexLength = 64;

    /// <summary>
    /// The largest journal recovery reads: 256 MiB. The writer refuses to grow a journal past it (see
    /// <see cref="JournalWriter"/>), so no journal this library wrote is larger; anything larger was not written by it,
    /// and reading it whole could exhaust memory.
    /// </summary>
    internal const int MaxLength = 256 * 1024 * 1024;

    /// <summary>The length of the seal line, which the writer keeps room for below <see cref="MaxLength"/>.</summary>
    internal const int CommitLineLength = 7 + HashHexLength + 1;

    private static readonly System.Buffers.SearchValues<char> s_upperHexDigits = System.Buffers.SearchValues.Create("0123456789ABCDEF");

    // A NUL ends a C string, a control character can forge what a person reads, a separator makes one segment two.
    private static readonly System.Buffers.SearchValues<char> s_forbiddenInSegment = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Select(c => (char)c)
            .Concat(Enumerable.Range(0x7F, 0x21).Select(c => (char)c))
            .Concat(Path.GetInvalidFileNameChars())
            .Concat([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar])
            .Distinct()
            .ToArray());

    internal static byte[] StageLine(string temp, string target) => Encoding.UTF8.GetBytes($"{StageVerb}{Encode(temp)} {Encode(target)}\n");

    internal static byte[] ReplaceLine(string temp, string target, string contentHash) =>
        Encoding.UTF8.GetBytes($"{ReplaceVerb}{Encode(temp)} {Encode(target)} {contentHash}\n");

    /// <summary>A version 1 replace line, with no content hash: only tests still write one.</summary>
    internal static byte[] ReplaceLineV1(string temp, string target) => Encoding.UTF8.GetBytes($"{ReplaceVerb}{Encode(temp)} {Encode(target)}\n");

    internal static byte[] DeleteLine(string target) => Encoding.UTF8.GetBytes($"{DeleteVerb}{Encode(target)}\n");

    internal static byte[] CommitLine(ReadOnlySpan<byte> sha256) => Encoding.UTF8.GetBytes($"{CommitVerb}{Convert.ToHexString(sha256)}\n");

    /// <summary>
    /// Refuses a relative path whose segments the parser would reject, before it is recorded: a committed journal that
    /// recovery could not read back would be rolled back after some of its renames were done.
    /// </summary>
    /// <exception cref="ArgumentException">A segment is empty, <c>.</c>, <c>..</c>, or holds a control character.</exception>
    internal static void ThrowIfUnrecordable(string relativePath)
    {
        foreach (var segment in relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (!IsValidSegment(segment))
            {
                throw new ArgumentException(
                    $"'{relativePath}' has a name a transaction cannot record: empty, '.', '..', or holding a control character.",
                    nameof(relativePath));
            }
        }
    }

    /// <summary>
    /// Reads a journal; never throws. <see cref="ParsedJournal.IsCommitted"/> only if it is complete, well-formed and
    /// its seal matches; otherwise its operations are the ones that could be read, good only for finding temps to
    /// remove, and <see cref="ParsedJournal.Defect"/> says what is wrong.
    /// </summary>
    internal static ParsedJournal Parse(ReadOnlySpan<byte> bytes)
    {
        var operations = new List<JournalOperation>();
        var temps = new List<string>();
        var version = bytes.StartsWith(Header) ? 2 : bytes.StartsWith(HeaderV1) ? 1 : 0;
        string? defect = version != 0 ? null : "it does not start with the journal header";
        var sealedAt = -1;
        var offset = 0;
        var lineNumber = 0;
        var torn = false;
        while (offset < bytes.Length)
        {
            var lineLength = bytes[offset..].IndexOf((byte)'\n');
            lineNumber++;
            if (lineLength < 0)
            {
                // A torn last line: the writer died mid-append. Normal before the commit point, a defect after it.
                torn = true;
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
                defect ??= $"line {lineNumber} follows the seal";
            }
            else if (line.StartsWith("commit "u8))
            {
                sealedAt = lineStart;
                if (line.Length != CommitVerb.Length + HashHexLength || !SealMatches(bytes[..lineStart], line[CommitVerb.Length..]))
                {
                    defect ??= "its seal does not match its content";
                }
            }
            else if (ParseLine(line, version) is { } parsed)
            {
                if (parsed.Temp is { } temp)
                {
                    temps.Add(temp);
                }

                if (!parsed.IsStage)
                {
                    operations.Add(parsed.Operation);
                }
            }
            else
            {
                defect ??= $"line {lineNumber} is not an operation on a valid relative path";
            }
        }

        if (sealedAt < 0)
        {
            // Not a defect on its own: a transaction that crashed before its commit point leaves exactly this.
            return new ParsedJournal(operations, IsCommitted: false) { Defect = defect, Temps = temps, Version = version };
        }

        defect ??= torn ? "its last line is torn" : null;
        return new ParsedJournal(operations, IsCommitted: defect is null) { Defect = defect, Temps = temps, Version = version };
    }

    private static bool SealMatches(ReadOnlySpan<byte> content, ReadOnlySpan<byte> hexSeal)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, actual);
        Span<byte> expected = stackalloc byte[HashHexLength];
        Encoding.ASCII.GetBytes(Convert.ToHexString(actual), expected);
        return CryptographicOperations.FixedTimeEquals(expected, hexSeal);
    }

    /// <param name="line">One line, without its newline.</param>
    /// <param name="version">The header's version; 0 if there was none, when any known form is read (only to find temps to remove).</param>
    private static (JournalOperation Operation, bool IsStage, string? Temp)? ParseLine(ReadOnlySpan<byte> line, int version)
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

        if (text.StartsWith(StageVerb, StringComparison.Ordinal) && version != 1)
        {
            var fields = text[StageVerb.Length..].Split(' ');
            return fields.Length == 2 && Decode(fields[0]) is { } temp && Decode(fields[1]) is { } target
                ? (new JournalOperation(target, temp), true, temp)
                : null;
        }

        if (text.StartsWith(ReplaceVerb, StringComparison.Ordinal))
        {
            var fields = text[ReplaceVerb.Length..].Split(' ');
            var hashed = fields.Length == 3 && version != 1;
            var unhashed = fields.Length == 2 && version != 2;
            if ((!hashed && !unhashed) || Decode(fields[0]) is not { } temp || Decode(fields[1]) is not { } target)
            {
                return null;
            }

            if (!hashed)
            {
                return (new JournalOperation(target, temp), false, temp);
            }

            return IsContentHash(fields[2]) ? (new JournalOperation(target, temp) { ContentHash = fields[2] }, false, temp) : null;
        }

        if (text.StartsWith(DeleteVerb, StringComparison.Ordinal))
        {
            var field = text[DeleteVerb.Length..];
            return !field.Contains(' ', StringComparison.Ordinal) && Decode(field) is { } target ? (new JournalOperation(target, null), false, null) : null;
        }

        return null;
    }

    private static bool IsContentHash(string field) =>
        field.Length == ContentHash.HexLength && field.AsSpan().IndexOfAnyExcept(s_upperHexDigits) < 0;

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
            if (!IsValidSegment(decoded[i]))
            {
                return null;
            }
        }

        return Path.Join(decoded);
    }

    private static bool IsValidSegment(string segment) =>
        segment.Length > 0 && segment is not ("." or "..") && segment.AsSpan().IndexOfAny(s_forbiddenInSegment) < 0;
}
