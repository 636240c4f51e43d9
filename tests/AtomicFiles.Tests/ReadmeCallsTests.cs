using System.Text.RegularExpressions;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

/// <summary>
/// README's API calls, compiled and run as a user types them — with options, with a CancellationToken last — and a
/// check that every `AtomicFile.` call line README shows appears here verbatim, so README cannot drift from what compiles.
/// </summary>
public sealed partial class ReadmeCallsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadmeCalls_AsWritten_CompileAndRun()
    {
        var path = _dir.File("file.txt");
        var root = _dir.Path;
        var bytes = "bytes"u8.ToArray();
        var text = "text";
        string[] lines = ["one", "two"];
        var index = "{}";
        var blob = bytes;
        var options = new AtomicFileOptions { Durability = Durability.FileOnly };
        var ct = CancellationToken.None;
        Directory.CreateDirectory(Path.Join(root, "data"));

        AtomicFile.WriteAllBytes(path, bytes);            await AtomicFile.WriteAllBytesAsync(path, bytes, ct);
        AtomicFile.WriteAllText(path, text);              await AtomicFile.WriteAllTextAsync(path, text, ct);
        AtomicFile.WriteAllLines(path, lines);            await AtomicFile.WriteAllLinesAsync(path, lines, ct);
        AtomicFile.WriteAllBytes(path, bytes, options);   await AtomicFile.WriteAllBytesAsync(path, bytes, options, ct);
        AtomicFile.WriteAllText(path, text, options);     await AtomicFile.WriteAllTextAsync(path, text, options, ct);
        AtomicFile.WriteAllLines(path, lines, options);   await AtomicFile.WriteAllLinesAsync(path, lines, options, ct);
        File.ReadAllLines(path).Should().Equal(lines);
        byte[] content = AtomicFile.ReadAllBytes(path);   content = await AtomicFile.ReadAllBytesAsync(path, ct);
        string current = AtomicFile.ReadAllText(path);    current = await AtomicFile.ReadAllTextAsync(path, ct);
        current.Should().Be(string.Join(Environment.NewLine, lines) + Environment.NewLine);
        content.Should().Equal(File.ReadAllBytes(path));

        using (var tx = AtomicFile.BeginTransaction(root))
        {
            tx.WriteAllText("index.json", index);
            tx.WriteAllBytes("data/blob.bin", blob);
            tx.Delete("data/old.bin");
            tx.Commit();
        }

        await using (var tx = await AtomicFile.BeginTransactionAsync(root, options, ct))
        {
            await tx.WriteAllTextAsync("index.json", index, ct);
            tx.Delete("data/old.bin");
            await tx.CommitAsync(ct);
        }

        RecoveryReport recovered = await AtomicFile.RecoverAsync(root, options, ct);
        recovered.IsClean.Should().BeTrue(recovered.ToString());
    }

    [Fact]
    public void Readme_EveryCallLine_IsCompiledHere()
    {
        var readme = File.ReadAllText(Path.Join(RepositoryRoot.Path, "README.md"));
        var thisFile = File.ReadAllText(Path.Join(RepositoryRoot.Path, "tests", "AtomicFiles.Tests", "ReadmeCallsTests.cs"));

        var calls = CallLine().Matches(readme).Select(m => m.Value.Trim()).Where(l => !l.Contains("...", StringComparison.Ordinal)).ToList();

        calls.Should().Contain(l => l.Contains("WriteAllTextAsync(path, text, options, ct)", StringComparison.Ordinal));
        calls.Should().OnlyContain(l => thisFile.Contains(l, StringComparison.Ordinal), "every README call line must be compiled here verbatim");
    }


    // A README line calling the one-call writes or reads, beginning a transaction, recovering asynchronously, or staging in a transaction.
    [GeneratedRegex(@"^(?:.*AtomicFile\.(?:WriteAll|ReadAll|BeginTransaction|RecoverAsync).*|\s+(?:await )?tx\..*)$", RegexOptions.Multiline)]
    private static partial Regex CallLine();
}
