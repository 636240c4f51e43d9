using System.Runtime.CompilerServices;
using Xunit.v3;

namespace AtomicFiles.Testing;

/// <summary>
/// A fact that needs more than .NET. On another platform than the one its requirements name it is not collected at all
/// (a Linux-only test does not exist in the Windows run, so it is not counted as a skip there); on its platform it skips,
/// with the reason, where the machine lacks a tool. CI fails on such a skip.
/// </summary>
[XunitTestCaseDiscoverer(typeof(RequiresFactDiscoverer))]
public sealed class RequiresFactAttribute : FactAttribute, IHasRequirements
{
    public RequiresFactAttribute(Requirement requirements, [CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Requirements = requirements;
        if (RequirementCheck.MissingReason(requirements) is { } reason)
        {
            Skip = reason;
        }
    }

    public Requirement Requirements { get; }
}
