"""Only Redis message queues are accepted: the others cannot close sockets in other processes."""

import pytest

from core.config import ConfigError, check_message_queue, rate_limit_storage, read_environment


@pytest.mark.parametrize(
    "url",
    [None, "", "redis://127.0.0.1:6379/0", "rediss://cache.example.org:6380/1", "unix:///run/redis.sock"],
)
def test_redis_queues_and_none_are_accepted(url):
    check_message_queue(url)


@pytest.mark.parametrize(
    "url",
    [
        "amqp://guest:guest@localhost:5672//",
        "kafka://localhost:9092",
        "zmq+tcp://127.0.0.1:5555",
        "sqs://",
        "redis",
    ],
)
def test_other_queues_are_refused_with_the_reason(url):
    with pytest.raises(ConfigError, match="only a Redis URL") as refused:
        check_message_queue(url)
    assert "other processes" in str(refused.value)


def test_a_unix_socket_queue_also_counts_sign_ins_in_redis():
    values = read_environment({"SOUNDINGBOARD_MESSAGE_QUEUE": "unix:///run/redis.sock"})
    assert rate_limit_storage(values) == "redis+unix:///run/redis.sock"
    assert rate_limit_storage(read_environment({})) == "memory://"
