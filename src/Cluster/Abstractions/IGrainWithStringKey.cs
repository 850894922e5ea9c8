namespace Odock.Cluster;

/// <summary>
/// Marks a grain interface: a virtual actor addressed by a string key. Its methods return <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>, and their arguments and
/// results must be serialisable by a registered <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>.
/// Arguments should be immutable: in-process calls pass them by reference.
/// </summary>
public interface IGrainWithStringKey;
