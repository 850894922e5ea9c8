namespace Odock.Storage.Repositories;

/// <summary>Where a page ended: the last row's sort value and its id (the tie-breaker when sort values repeat).</summary>
public sealed record KeysetPosition(string SortValue, Guid Id);
