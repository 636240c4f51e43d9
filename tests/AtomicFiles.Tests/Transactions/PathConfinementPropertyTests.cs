using AtomicFiles.Tests.Support;
using CsCheck;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// A transaction accepts a path exactly when the kernel resolves it to a directory inside the root, and then acts on
/// the file the kernel names there — for random trees of symbolic links whose targets climb with <c>..</c>, jump
/// absolutely and loop. Confinement judged by the text of a path is caught by the same check.
/// </summary>
public sealed class PathConfinementPropertyTests
{
    private const int Cases = 1000;

    private static readonly Gen<((string Home, string Name, string Target)[] Links, string Path, bool Delete)> s_cases =
        Gen.Select(SymlinkTree.Gen, SymlinkTree.RelativePath("f", "g"), Gen.Bool);

    [RequiresFact(Requirement.Linux)]
    public void WriteOrDelete_ThroughRandomLinks_ActsOnlyWhereTheKernelSaysInsideTheRoot() =>
        s_cases.Sample(c => ActsOnlyInside(c.Links, c.Path, c.Delete), iter: Cases, threads: 1, print: Describe);

    [RequiresFact(Requirement.Linux)]
    public void LexicalConfinement_ThroughRandomLinks_IsCaught() =>
        FluentActions.Invoking(() => s_cases.Sample(c => LexicalJudgeAgreesWithKernel(c.Links, c.Path), iter: Cases, threads: 1, print: Describe))
            .Should().Throw<CsCheckException>();

    private static void ActsOnlyInside((string, string, string)[] links, string relativePath, bool delete)
    {
        using var tree = SymlinkTree.Create(links);
        var kernelDirectory = tree.KernelDirectory(tree.Root + "/" + Path.GetDirectoryName(relativePath));
        var inside = kernelDirectory is not null && (kernelDirectory == "R" || kernelDirectory.StartsWith("R/", StringComparison.Ordinal));
        var before = tree.Snapshot();
        try
        {
            using var transaction = AtomicFile.BeginTransaction(tree.Root);
            if (delete)
            {
                transaction.Delete(relativePath);
            }
            else
            {
                transaction.WriteAllText(relativePath, "new");
            }

            transaction.Commit();
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            inside.Should().BeFalse("the kernel resolves the path to '{0}', inside the root, yet it was refused: {1}", kernelDirectory, e.Message);
            tree.Snapshot().Should().Equal(before, "a refused transaction changes nothing");
            return;
        }

        inside.Should().BeTrue("the kernel resolves the path to '{0}', outside the root", kernelDirectory);
        var file = Path.Join(kernelDirectory, Path.GetFileName(relativePath));
        var expected = new Dictionary<string, string>(before);
        if (delete)
        {
            expected.Remove(file);
        }
        else
        {
            expected[file] = "new";
        }

        tree.Snapshot().Should().Equal(expected, "exactly the file the kernel names is changed, and no temp is left");
    }

    /// <summary>The control: judges confinement by the text of the path, with '..' collapsed as a string.</summary>
    private static void LexicalJudgeAgreesWithKernel((string, string, string)[] links, string relativePath)
    {
        using var tree = SymlinkTree.Create(links);
        var kernelDirectory = tree.KernelDirectory(tree.Root + "/" + Path.GetDirectoryName(relativePath));
        var kernelInside = kernelDirectory is not null && (kernelDirectory == "R" || kernelDirectory.StartsWith("R/", StringComparison.Ordinal));
        var lexicalInside = Path.GetFullPath(relativePath, tree.Root).StartsWith(tree.Root + "/", StringComparison.Ordinal)
            && Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(relativePath, tree.Root)));
        lexicalInside.Should().Be(kernelInside);
    }

    private static string Describe(((string Home, string Name, string Target)[] Links, string Path, bool Delete) c) =>
        $"{(c.Delete ? "delete" : "write")} R/{c.Path} with links [{string.Join(", ", c.Links.Select(l => $"{l.Home}/{l.Name} -> {l.Target}"))}]";
}
