using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Reads Klaviyo's answers about bulk jobs: the job resource, and its per-item errors. Pure.</summary>
internal static class BulkResponses
{
    /// <summary>The job a create answered with; a job without a poll operation is <see cref="BulkJobStatus.Accepted"/>.</summary>
    public static Either<KlaviyoError, BulkJob> Created(
        BulkJobEntry job,
        BulkChunk chunk,
        KlaviyoResponse response
    )
    {
        var start = new BulkJob(
            chunk.Index,
            chunk.FirstItem,
            chunk.Count,
            null,
            BulkJobStatus.Queued
        );
        var resource = Resource(response);
        if (job.PollOperationId is null)
            return start with
            {
                Id = resource.Bind(r => Str(r, "id")).IfNoneUnsafe((string?)null),
                Status = BulkJobStatus.Accepted,
            };
        return resource
            .Bind(r => Str(r, "id"))
            .Match(
                id => Right<KlaviyoError, BulkJob>(Update(start with { Id = id }, resource)),
                () =>
                    Left<KlaviyoError, BulkJob>(
                        Undecodable(response, $"{job.OperationId} answered without a job id")
                    )
            );
    }

    /// <summary>The job as a poll answered.</summary>
    public static BulkJob Polled(BulkJob current, KlaviyoResponse response) =>
        Update(current, Resource(response));

    /// <summary>
    /// Reads a job resource's status, counts and errors into <paramref name="job"/>; what is missing stays as it was
    /// (a status never reported reads as queued).
    /// </summary>
    private static BulkJob Update(BulkJob job, Option<JsonElement> resource) =>
        resource.Match(
            r =>
            {
                var attributes =
                    r.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object
                        ? a
                        : default;
                return job with
                {
                    Status = Str(attributes, "status").Map(Status).IfNone(job.Status),
                    Total = Int(attributes, "total_count") ?? job.Total,
                    Completed = Int(attributes, "completed_count") ?? job.Completed,
                    Failed = Int(attributes, "failed_count") ?? job.Failed,
                    JobErrors =
                        attributes.ValueKind == JsonValueKind.Object
                        && attributes.TryGetProperty("errors", out var errors)
                        && errors.ValueKind == JsonValueKind.Array
                            ? toSeq(errors.EnumerateArray().Select(ErrorOf).ToArray())
                            : job.JobErrors,
                };
            },
            () => job
        );

    /// <summary>A status as Klaviyo spells it.</summary>
    public static BulkJobStatus Status(string status) =>
        status.ToLowerInvariant() switch
        {
            "queued" => BulkJobStatus.Queued,
            "processing" => BulkJobStatus.Processing,
            "complete" or "completed" => BulkJobStatus.Complete,
            "failed" => BulkJobStatus.Failed,
            "cancelled" or "canceled" => BulkJobStatus.Cancelled,
            _ => BulkJobStatus.Unknown,
        };

    /// <summary>An import-error resource (or a job's inline error) as a <see cref="KlaviyoApiError"/>, with the payload it names.</summary>
    public static (KlaviyoApiError Error, JsonElement? Payload) ImportError(
        JsonApiResource resource
    )
    {
        var error = ErrorOf(resource.Attributes) with { Id = resource.Id };
        var payload =
            resource.Attributes.TryGetProperty("original_payload", out var p)
            && p.ValueKind == JsonValueKind.Object
                ? p
                : (JsonElement?)null;
        return (error, payload);
    }

    /// <summary>
    /// The input index an error is about: from its JSON pointer into the job's body (<c>/data/attributes/profiles/data/3/…</c>),
    /// else the item equal to the payload it quotes, else the only item of a one-item job; <c>null</c> when none says.
    /// </summary>
    public static int? ItemOf(
        BulkJobEntry job,
        BulkChunk chunk,
        KlaviyoApiError error,
        JsonElement? payload
    )
    {
        var prefix = "/" + job.ItemsPath.Replace('.', '/');
        if (
            error.SourcePointer is { } pointer
            && pointer.StartsWith(prefix, StringComparison.Ordinal)
        )
        {
            var rest = pointer[prefix.Length..];
            if (job.SingleItem && (rest.Length == 0 || rest[0] == '/'))
                return chunk.FirstItem;
            var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (
                segments.Length > 0
                && int.TryParse(
                    segments[0],
                    System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var n
                )
                && n < chunk.Count
            )
                return chunk.FirstItem + n;
        }
        if (payload is { } quoted)
            for (var i = 0; i < chunk.Count; i++)
            {
                var item = chunk.Items[i];
                if (
                    JsonElement.DeepEquals(item, quoted)
                    || (
                        item.TryGetProperty("attributes", out var attributes)
                        && JsonElement.DeepEquals(attributes, quoted)
                    )
                )
                    return chunk.FirstItem + i;
            }
        return chunk.Count == 1 ? chunk.FirstItem : null;
    }

    private static KlaviyoApiError ErrorOf(JsonElement e)
    {
        var source =
            e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("source", out var s)
            && s.ValueKind == JsonValueKind.Object
                ? s
                : default;
        return new KlaviyoApiError(
            Str(e, "id").IfNoneUnsafe((string?)null),
            Str(e, "status").IfNoneUnsafe((string?)null),
            Str(e, "code").IfNoneUnsafe((string?)null),
            Str(e, "title").IfNoneUnsafe((string?)null),
            Str(e, "detail").IfNoneUnsafe((string?)null),
            Str(source, "pointer").IfNoneUnsafe((string?)null),
            Str(source, "parameter").IfNoneUnsafe((string?)null)
        );
    }

    private static Option<JsonElement> Resource(KlaviyoResponse response) =>
        response
            .Json.Filter(root => root.ValueKind == JsonValueKind.Object)
            .Bind(root =>
                root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? Some(data)
                    : None
            );

    private static Option<string> Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => Optional(v.GetString()),
                JsonValueKind.Number => Some(v.GetRawText()),
                _ => None,
            }
            : None;

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object
        && e.TryGetProperty(name, out var v)
        && v.ValueKind == JsonValueKind.Number
        && v.TryGetInt32(out var i)
            ? i
            : null;

    private static KlaviyoError Undecodable(KlaviyoResponse response, string reason) =>
        new KlaviyoError.Decode(reason, response.StatusCode, response.Headers, "");
}
