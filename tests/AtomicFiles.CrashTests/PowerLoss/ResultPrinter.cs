using AtomicFiles.PowerLoss.Running;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>Writes results as a markdown table to the test output (dotnet test --logger "console;verbosity=detailed").</summary>
internal static class ResultPrinter
{
    public static void Print(ITestOutputHelper output, params PowerLossResult[] results)
    {
        output.WriteLine(PowerLossResult.TableHeader);
        foreach (var row in results.SelectMany(r => r.TableRows()))
        {
            output.WriteLine(row);
        }

        foreach (var result in results)
        {
            output.WriteLine(result.Summary);
        }
    }
}
