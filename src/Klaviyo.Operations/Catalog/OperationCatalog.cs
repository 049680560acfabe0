using System.Collections.Frozen;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Metadata for every operation of the Klaviyo API, generated from the official OpenAPI spec: method, path
/// template, parameters and their allowed values, success status, rate-limit tier, scopes, old aliases.
/// </summary>
public static partial class OperationCatalog
{
    /// <summary>The API revision the operations were generated from; the default <c>revision</c> header.</summary>
    public const string Revision = "2026-07-15";

    // Built on first use, not as a field initializer: initializers of partial-class parts in different files run
    // in an unspecified order, so GeneratedEntries could still be null here.
    private static FrozenDictionary<string, CatalogEntry> ByName => Indexed.ByName;

    /// <summary>Every operation, in spec order.</summary>
    public static IReadOnlyList<CatalogEntry> All => GeneratedEntries;

    /// <summary>The entry for an operationId (e.g. <c>get_profiles</c>) or one of its aliases; case-sensitive.</summary>
    /// <param name="operationIdOrAlias">The operationId or alias.</param>
    public static Option<CatalogEntry> Find(string operationIdOrAlias) =>
        ByName.TryGetValue(operationIdOrAlias, out var entry)
            ? Option<CatalogEntry>.Some(entry)
            : Option<CatalogEntry>.None;

    private static class Indexed
    {
        internal static readonly FrozenDictionary<string, CatalogEntry> ByName = Index();
    }

    private static FrozenDictionary<string, CatalogEntry> Index()
    {
        var map = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        foreach (var e in GeneratedEntries)
            map[e.OperationId] = e;
        foreach (var e in GeneratedEntries)
        foreach (var alias in e.Aliases)
            map.TryAdd(alias, e);
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
