using System.Text;

namespace AtomicFiles.Platform;

/// <summary>
/// Names of the library's temp files: <c>.{name}.{10 random chars}.tmp</c> beside the target. Hidden on Unix, easy to
/// attribute to their target, and recognisable by <see cref="IsTempFileName"/> so recovery never touches anything else.
/// </summary>
internal static class TempFileName
{
    private const int RandomLength = 10;
    private const string Suffix = ".tmp";
    /// <summary>NAME_MAX: the bytes one file name may hold on the filesystems the library targets.</summary>
    internal const int NameMaxBytes = 255;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    // "." + name + "." + random + ".tmp"
    private const int OverheadBytes = 1 + 1 + RandomLength + 4;

    /// <summary>A fresh temp name for <paramref name="targetName"/>, shortened so the whole name fits NAME_MAX (255 bytes).</summary>
    internal static string For(string targetName)
    {
        var stem = Shorten(targetName, NameMaxBytes - OverheadBytes);
        return string.Create(OverheadBytes + stem.Length, stem, static (span, stem) =>
        {
            span[0] = '.';
            stem.AsSpan().CopyTo(span[1..]);
            var rest = span[(1 + stem.Length)..];
            rest[0] = '.';
            for (var i = 1; i <= RandomLength; i++)
            {
                rest[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }

            Suffix.AsSpan().CopyTo(rest[(RandomLength + 1)..]);
        });
    }

    /// <summary>Whether <paramref name="fileName"/> has the shape of a name made by <see cref="For"/>.</summary>
    internal static bool IsTempFileName(ReadOnlySpan<char> fileName)
    {
        if (fileName.Length < OverheadBytes + 1 || fileName[0] != '.' || !fileName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var randomPart = fileName[^(Suffix.Length + RandomLength)..^Suffix.Length];
        if (fileName[^(Suffix.Length + RandomLength + 1)] != '.')
        {
            return false;
        }

        foreach (var c in randomPart)
        {
            if (!Alphabet.Contains(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The longest prefix of <paramref name="name"/> whose UTF-8 form fits <paramref name="maxBytes"/>, never splitting a surrogate pair.</summary>
    internal static string Shorten(string name, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(name) <= maxBytes)
        {
            return name;
        }

        var length = 0;
        var bytes = 0;
        while (length < name.Length)
        {
            var step = char.IsHighSurrogate(name[length]) && length + 1 < name.Length ? 2 : 1;
            var stepBytes = Encoding.UTF8.GetByteCount(name.AsSpan(length, step));
            if (bytes + stepBytes > maxBytes)
            {
                break;
            }

            bytes += stepBytes;
            length += step;
        }

        return name[..length];
    }
}
