using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// One line a writer child prints on its standard output for the harness. A commit line is printed only after the
/// commit returned, so every commit the harness learns of is one the file must never fall behind.
/// </summary>
internal abstract record WriterMessage
{
    private const string ReadyWord = "ready";
    private const string CommitWord = "commit";
    private const string CorruptWord = "corrupt";

    /// <summary>The writer is set up and about to commit.</summary>
    internal sealed record Ready : WriterMessage
    {
        public override string ToString() => ReadyWord;
    }

    /// <summary>A commit of <paramref name="Version"/> to <paramref name="FileName"/> returned.</summary>
    internal sealed record Committed(CommitMethod Method, string FileName, long Version) : WriterMessage
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CommitWord} {Method} {FileName} {Version}");
    }

    /// <summary>The writer read <paramref name="FileName"/> and found no complete version in it.</summary>
    internal sealed record Corrupt(string FileName, string Problem) : WriterMessage
    {
        public override string ToString() => $"{CorruptWord} {FileName} {Problem}";
    }

    /// <summary>Parses a line; <see langword="null"/> for anything that is not a message (the harness ignores it).</summary>
    internal static WriterMessage? Parse(string line)
    {
        var parts = line.Split(' ', 4);
        return parts switch
        {
            [ReadyWord] => new Ready(),
            [CommitWord, var method, var file, var version]
                when Enum.TryParse<CommitMethod>(method, out var m) && long.TryParse(version, CultureInfo.InvariantCulture, out var v) => new Committed(m, file, v),
            [CorruptWord, var file, .. var problem] => new Corrupt(file, string.Join(' ', problem)),
            _ => null,
        };
    }
}
