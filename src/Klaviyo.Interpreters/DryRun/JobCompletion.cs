using System.Text.Json.Nodes;

namespace Klaviyo;

/// <summary>
/// A job (type <c>…-job</c>) in a dry answer is done without a failure, so a program polling it (a bulk pipeline) goes
/// on in a dry run and reports no made-up item errors: <c>status</c> complete, <c>failed_count</c> 0,
/// <c>completed_count</c> the <c>total_count</c>, no <c>errors</c>.
/// </summary>
internal static class JobCompletion
{
    /// <summary>Completes <paramref name="resource"/> when its type names a job.</summary>
    /// <param name="resource">A JSON:API resource object; changed in place.</param>
    public static void Complete(JsonObject resource)
    {
        if (IsJob(TypeName(resource)))
            CompleteAttributes(resource);
    }

    /// <summary>Completes the attributes of <paramref name="resource"/> whatever its type (creating them if absent).</summary>
    /// <param name="resource">A JSON:API resource object; changed in place.</param>
    public static void CompleteAttributes(JsonObject resource)
    {
        var attributes = resource["attributes"] as JsonObject ?? [];
        resource["attributes"] = attributes;
        attributes["status"] = "complete";
        if (attributes.ContainsKey("failed_count"))
            attributes["failed_count"] = 0;
        if (attributes.ContainsKey("completed_count") && attributes["total_count"] is { } total)
            attributes["completed_count"] = total.DeepClone();
        if (attributes["errors"] is JsonArray errors)
            errors.Clear();
    }

    /// <summary>The resource's <c>type</c> when it is a string, else null.</summary>
    /// <param name="resource">A JSON:API resource object.</param>
    public static string? TypeName(JsonObject resource) =>
        resource["type"] is JsonValue type && type.TryGetValue<string>(out var name) ? name : null;

    /// <summary>Whether <paramref name="type"/> names a job.</summary>
    /// <param name="type">A JSON:API type, or null.</param>
    public static bool IsJob(string? type) =>
        type is not null && type.EndsWith("-job", StringComparison.Ordinal);
}
