namespace Klaviyo.Cli;

/// <summary>Finds a catalog entry from what the user typed.</summary>
internal static class OperationLookup
{
    /// <summary>
    /// The entry for an operationId or alias (exact, as <see cref="OperationCatalog.Find"/>), else for the same ignoring case,
    /// else for the C# name (<c>GetProfiles</c> or <c>Profiles.GetProfiles</c>, any case). Anything else is a
    /// <see cref="UsageException"/> with suggestions.
    /// </summary>
    /// <param name="name">The operationId, alias or C# name.</param>
    public static CatalogEntry Find(string name)
    {
        var exact = OperationCatalog.Find(name);
        if (exact.IsSome)
            return exact.IfNoneUnsafe((CatalogEntry?)null)!;
        var matches = OperationCatalog
            .All.Where(e =>
                e.OperationId.Equals(name, StringComparison.OrdinalIgnoreCase)
                || e.Aliases.Exists(a => a.Equals(name, StringComparison.OrdinalIgnoreCase))
                || e.MethodName.Equals(name, StringComparison.OrdinalIgnoreCase)
                || $"{e.Tag}.{e.MethodName}".Equals(name, StringComparison.OrdinalIgnoreCase)
            )
            .ToList();
        if (matches.Count == 1)
            return matches[0];
        if (matches.Count > 1)
            throw new UsageException(
                $"'{name}' names several operations: {string.Join(", ", matches.Select(m => m.OperationId))}"
            );
        throw new UsageException(
            $"unknown operation '{name}'"
                + Suggestions.DidYouMean(name, OperationCatalog.All.Select(e => e.OperationId))
                + "; list them with 'klaviyo operations'"
        );
    }

    /// <summary>
    /// Shell completion of an operation argument: the operationIds starting with the word typed so far (any case),
    /// in spec order.
    /// </summary>
    /// <param name="context">What is being completed.</param>
    public static IEnumerable<string> Completions(
        System.CommandLine.Completions.CompletionContext context
    ) =>
        OperationCatalog
            .All.Select(e => e.OperationId)
            .Where(id => id.StartsWith(context.WordToComplete, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the operation belongs to the client API (<c>/client/…</c>), which never sends credentials.</summary>
    /// <param name="entry">The entry.</param>
    public static bool IsClientApi(CatalogEntry entry) =>
        entry.PathTemplate.StartsWith("/client/", StringComparison.Ordinal);

    /// <summary>The rate-limit tier compactly: <c>3/s 60/m</c>, <c>1/s 2/m 225/d</c>.</summary>
    /// <param name="tier">The tier.</param>
    public static string Rates(RateLimitTier tier) =>
        string.Join(
            " ",
            new[] { tier.Burst, tier.Steady, tier.Daily }
                .Where(r => r is not null)
                .Select(r => r!.ToString())
        );
}
