using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>Renders a torture result as the summary table the demo prints (and the README quotes).</summary>
internal static class TortureSummary
{
    internal static void Write(TortureResult result, TextWriter output)
    {
        var s = result.Settings;
        var seconds = result.Elapsed.TotalSeconds;
        var rows = new List<(string Name, string Value)>
        {
            ("Writers x file size", F($"{s.Writers} x {s.FileSize:N0} bytes")),
            ("Transaction writers x files", F($"{s.TransactionWriters} x {TortureFiles.TransactionSet.Count} in {TortureFiles.TransactionDirectories.Count} directories")),
            ("Duration", F($"{seconds:0.0} s")),
            ("Kills (SIGKILL at random moments)", F($"{result.Kills:N0}")),
            ("  of transaction writers", F($"{result.TransactionKills:N0}")),
            ("Writer starts retried", F($"{result.WriterStartsRetried:N0}")),
            ("Commits returned", F($"{result.TotalCommits:N0} ({result.TotalCommits / Math.Max(seconds, 0.001):N0}/s)")),
        };
        rows.AddRange(result.Commits.Select(c => ("  via " + c.Key, F($"{c.Value:N0}"))));
        rows.Add(("Verifications (after every kill)", F($"{result.Verifications:N0}")));
        rows.Add(("Files verified", F($"{result.FilesVerified:N0}")));
        rows.Add(("Transaction set checks (Recover + read)", F($"{result.TransactionChecks:N0}")));
        rows.Add(("  interrupted, completed by Recover", F($"{result.TransactionsCompletedByRecover:N0}")));
        rows.Add(("  interrupted, rolled back by Recover", F($"{result.TransactionsRolledBackByRecover:N0}")));
        rows.Add(("Violations", F($"{result.ViolationCount:N0}")));
        rows.Add(("  in the transaction set", F($"{result.TransactionViolationCount:N0}")));
        rows.Add(("Temps before Recover", F($"{result.TempsBeforeRecover:N0}")));
        rows.Add(("Temps removed by Recover", F($"{result.TempsRemoved:N0}")));
        rows.Add(("Temps left after Recover", F($"{result.TempsLeft:N0}")));
        rows.Add(("Result", result.Passed ? "PASS" : result.ViolationCount > 0 || result.TempsLeft > 0 ? "FAIL" : "INCONCLUSIVE"));

        var nameWidth = rows.Max(r => r.Name.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        var rule = "+" + new string('-', nameWidth + 2) + "+" + new string('-', valueWidth + 2) + "+";
        output.WriteLine(rule);
        foreach (var (name, value) in rows)
        {
            output.WriteLine($"| {name.PadRight(nameWidth)} | {value.PadLeft(valueWidth)} |");
        }

        output.WriteLine(rule);
        foreach (var violation in result.SampleViolations)
        {
            output.WriteLine($"violation: {violation}");
        }

        if (result.ViolationCount > result.SampleViolations.Count)
        {
            output.WriteLine(F($"... and {result.ViolationCount - result.SampleViolations.Count:N0} more violations"));
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
