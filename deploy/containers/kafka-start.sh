#!/usr/bin/env bash
# The broker inside the emotion-kafka image: one KRaft node (broker + controller), the settings of
# ./emotion kafka start, its log in /var/lib/kafka/data (formatted once, with a cluster id kept beside it).
set -euo pipefail
data=/var/lib/kafka/data
props=/tmp/server.properties
cp='/opt/kafka/libs/*'
cat >"$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://:9092,CONTROLLER://localhost:9093
advertised.listeners=PLAINTEXT://${KAFKA_ADVERTISED_HOST}:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/log
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
message.max.bytes=4194304
log.retention.hours=-1
PROPS
if [ ! -s "$data/cluster.id" ]; then
  java -cp "$cp" kafka.tools.StorageTool random-uuid | tail -n 1 >"$data/cluster.id"
fi
java -cp "$cp" kafka.tools.StorageTool format -t "$(tr -d '\n' <"$data/cluster.id")" -c "$props" --ignore-formatted
exec java "-Xmx$KAFKA_HEAP" "-Xms$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.showDateTime=true \
  -cp "$cp" kafka.Kafka "$props"
