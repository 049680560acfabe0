namespace Klaviyo;

/// <summary>
/// A <see cref="RequestOperation"/> that knows the generated model (<c>Klaviyo.Models</c>) of its success response,
/// <typeparamref name="T"/>: in LINQ its element is a <see cref="KlaviyoResponse{T}"/>, the response with the body
/// decoded (leniently) into <typeparamref name="T"/>. Still pure data, and still a <see cref="RequestOperation"/>:
/// everything that takes one takes this, and it is equal to the untyped operation with the same members.
/// </summary>
/// <example><code>
/// Operation&lt;IEnumerable&lt;string?&gt;&gt; emails =
///     from page in Profiles.GetProfiles(pageSize: 20)
///     select page.Data.Select(p => p.Attributes.Email);
/// </code></example>
/// <typeparam name="T">The model of the success response body, e.g. <c>GetListResponse</c>.</typeparam>
public record RequestOperation<T> : RequestOperation
{
    /// <summary>Types <paramref name="untyped"/>: the same request, its success response read as <typeparamref name="T"/>.</summary>
    /// <param name="untyped">The request.</param>
    public RequestOperation(RequestOperation untyped)
        : base(untyped ?? throw new ArgumentNullException(nameof(untyped))) { }

    /// <summary>A generated operation made typed from the start (no untyped copy).</summary>
    /// <param name="start">Its members.</param>
    internal RequestOperation(in OperationStart start)
        : base(start.Method, start.Path)
    {
        Query = start.Query;
        Problems = start.Problems;
        OperationId = start.OperationId;
        SendCredentials = start.SendCredentials;
    }

    /// <summary>Equal to an untyped operation with the same members: the response type is not part of the request.</summary>
    protected override Type EqualityContract => typeof(RequestOperation);

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}

/// <summary>
/// A typed listing: a <see cref="RequestOperation{TPage}"/> whose pages hold <typeparamref name="TItem"/> resources
/// in <c>data</c>, so that paginating it (<c>PaginateAsync</c>, <c>AllResources</c>) yields typed resources.
/// </summary>
/// <typeparam name="TPage">The model of one page, e.g. <c>GetListResponseCollectionCompoundDocument</c>.</typeparam>
/// <typeparam name="TItem">The model of one resource of <c>data</c>.</typeparam>
public sealed record ListingOperation<TPage, TItem> : RequestOperation<TPage>
{
    /// <summary>Types <paramref name="untyped"/> as a listing.</summary>
    /// <param name="untyped">The request for the first page.</param>
    public ListingOperation(RequestOperation untyped)
        : base(untyped) { }

    /// <summary>A generated listing made typed from the start (no untyped copy).</summary>
    /// <param name="start">Its members.</param>
    internal ListingOperation(in OperationStart start)
        : base(start) { }

    /// <summary>Equal to an untyped operation with the same members.</summary>
    protected override Type EqualityContract => typeof(RequestOperation);

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}
