using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Checks an operation's query against the catalog's allowed values (replaced by generated data).</summary>
internal static class QueryValidation
{
    /// <summary>The problems with <paramref name="operation"/>'s query; empty when it is fine.</summary>
    /// <param name="operation">The operation.</param>
    public static Seq<string> Check(RequestOperation operation) => Seq<string>();
}
