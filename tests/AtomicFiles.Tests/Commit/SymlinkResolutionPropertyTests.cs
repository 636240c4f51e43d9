using AtomicFiles.Tests.Support;
using CsCheck;

namespace AtomicFiles.Tests.Commit;

/// <summary>
/// Writing through random chains of symbolic links (climbing with <c>..</c>, absolute, looping) replaces exactly the
/// file the kernel reads at that path, and nothing else; a refused write changes nothing. A resolver that collapses
/// <c>..</c> as text, as the library once did, is caught by the same check.
/// </summary>
public sealed class SymlinkResolutionPropertyTests
{
    private const int Cases = 1500;

    private static readonly Gen<((string Home, string Name, string Target)[] Links, string Path)> s_cases =
        Gen.Select(SymlinkTree.Gen, SymlinkTree.RelativePath("f", "g", "l0", "l1", "l2"));

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_ThroughRandomLinks_ReplacesTheFileTheKernelReads() =>
        s_cases.Sample(c => WritesWhatTheKernelReads(c.Links, c.Path, (path, text) => AtomicFile.WriteAllText(path, text)), iter: Cases, threads: 1, print: Describe);

    [RequiresFact(Requirement.Linux)]
    public void LexicalResolver_ThroughRandomLinks_IsCaught() =>
        FluentActions.Invoking(() => s_cases.Sample(c => WritesWhatTheKernelReads(c.Links, c.Path, LexicalWrite), iter: Cases, threads: 1, print: Describe))
            .Should().Throw<CsCheckException>();

    private static void WritesWhatTheKernelReads((string, string, string)[] links, string relativePath, Action<string, string> write)
    {
        using var tree = SymlinkTree.Create(links);
        var path = Path.Join(tree.Root, relativePath);
        var before = tree.Snapshot();
        try
        {
            write(path, "new");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            tree.Snapshot().Should().Equal(before, "a refused write ({0}) changes nothing", e.Message);
            return;
        }

        Kernel.ReadAllText(path).Should().Be("new", "the kernel reads the file that was written");
        var after = tree.Snapshot();
        after.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value).Should().ContainSingle("one file is written, no temp is left");
        before.Keys.Except(after.Keys).Should().BeEmpty("nothing is removed");
    }

    /// <summary>The control: follows a final link by its text, collapsing <c>..</c> before the kernel sees it.</summary>
    private static void LexicalWrite(string path, string text)
    {
        var full = Path.GetFullPath(path);
        if (new FileInfo(full).LinkTarget is not null)
        {
            full = File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName;
        }

        File.WriteAllText(full, text);
    }

    private static string Describe(((string Home, string Name, string Target)[] Links, string Path) c) =>
        $"write R/{c.Path} with links [{string.Join(", ", c.Links.Select(l => $"{l.Home}/{l.Name} -> {l.Target}"))}]";
}
