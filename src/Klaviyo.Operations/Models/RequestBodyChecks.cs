namespace Klaviyo;

/// <summary>The per-call switch of the pre-send body check (see docs/models.md, "Bodies checked before sending").</summary>
public static class RequestBodyChecks
{
    /// <summary>
    /// The same operation, its JSON body sent without being checked against the spec's request schema: for a body
    /// that uses members or values newer than the spec revision this library was generated from. A typed operation
    /// stays typed.
    /// </summary>
    /// <example><code>
    /// var op = Lists.CreateList(new { data = new { type = "list", attributes = new { name = "VIP", brand_new = 1 } } })
    ///     .WithoutBodyCheck();
    /// </code></example>
    /// <param name="operation">The operation.</param>
    /// <typeparam name="T">The operation's type (typed or not).</typeparam>
    public static T WithoutBodyCheck<T>(this T operation)
        where T : RequestOperation
    {
        ArgumentNullException.ThrowIfNull(operation);
        return (T)(operation with { SkipBodyCheck = true });
    }
}
