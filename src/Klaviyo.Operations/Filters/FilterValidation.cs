using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Checks a <c>filter</c> string against the fields and operators the catalog allows (filled in by the filters work).</summary>
internal static class FilterValidation
{
    /// <summary>The problems with <paramref name="filter"/> for <paramref name="entry"/>; empty when it is fine.</summary>
    /// <param name="entry">The operation's catalog entry.</param>
    /// <param name="filter">The filter expression as sent.</param>
    public static Seq<string> Check(CatalogEntry entry, string filter) => Seq<string>();
}
