using System.Collections.Frozen;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Metadata for every operation of the Klaviyo API, generated from the official OpenAPI spec: method, path
/// template, parameters and their allowed values, success status, rate-limit tier, scopes, old aliases.
/// </summary>
public static partial class Catalog
{
    /// <summary>The API revision the operations were generated from; the default <c>revision</c> header.</summary>
    public const string Revision = "2026-07-15";

    private static FrozenDictionary<string, CatalogEntry>? _byName;

    // Built on first use: the generated table is a static field of another part of this class.
    private static FrozenDictionary<string, CatalogEntry> ByName => _byName ??= Index();

    /// <summary>Every operation, in spec order.</summary>
    public static IReadOnlyList<CatalogEntry> All => GeneratedEntries;

    /// <summary>The entry for an operationId (e.g. <c>get_profiles</c>) or one of its aliases; case-sensitive.</summary>
    /// <param name="operationIdOrAlias">The operationId or alias.</param>
    public static Option<CatalogEntry> Find(string operationIdOrAlias) =>
        ByName.TryGetValue(operationIdOrAlias, out var entry)
            ? Option<CatalogEntry>.Some(entry)
            : Option<CatalogEntry>.None;

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
