namespace AtomicFiles.Testing;

/// <summary>A fact that skips, with the reason, where the machine lacks what it needs. CI fails on such a skip.</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(Requirement requirements)
    {
        if (RequirementCheck.MissingReason(requirements) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that skips, with the reason, where the machine lacks what it needs. CI fails on such a skip.</summary>
public sealed class RequiresTheoryAttribute : TheoryAttribute
{
    public RequiresTheoryAttribute(Requirement requirements)
    {
        if (RequirementCheck.MissingReason(requirements) is { } reason)
        {
            Skip = reason;
        }
    }
}
