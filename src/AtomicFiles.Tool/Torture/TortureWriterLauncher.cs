namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The command that starts one writer child; the harness appends <c>--dir --slot --size --role</c>. The demo launches this
/// tool's hidden <c>torture-writer</c> verb; the test suite launches its own naive control writer the same way.
/// </summary>
/// <param name="FileName">The program to start.</param>
/// <param name="Arguments">Its first arguments.</param>
internal sealed record TortureWriterLauncher(string FileName, IReadOnlyList<string> Arguments)
{
    internal const string WriterVerb = "torture-writer";

    /// <summary>This tool in its writer mode, started the way this process was: the apphost, or dotnet and the dll.</summary>
    internal static TortureWriterLauncher ForThisTool()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's path to start writer processes.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new(process, [Path.Join(AppContext.BaseDirectory, "atomicfile.dll"), WriterVerb])
            : new(process, [WriterVerb]);
    }
}
