# What udp-client says, in Chinese. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.
