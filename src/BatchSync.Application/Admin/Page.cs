namespace BatchSync.Application.Admin;

/// <summary>
/// One page of a list: <see cref="Total"/> counts every match, not only this page. Pass
/// <see cref="NextCursor"/> as <c>cursor</c> for the next page (null at the end); <see cref="PageNumber"/>
/// is there for callers that still page by number, null when paging by cursor.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int? PageNumber, int PageSize, int Total, string? NextCursor);
